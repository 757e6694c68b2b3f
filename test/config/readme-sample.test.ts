/**
 * The README's sample `.leakguard.toml` is a config leakguard accepts as
 * written: its `[extend] path` stays inside the repository, its
 * `disabledRules` name real rules, and its custom rule finds what it says.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { randomToken } from "../helpers/secrets.js";

/** The README's fenced toml block that starts with `title = "acme"`. */
function readmeSample(): string {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const m = /^```toml\n(title = "acme"\n[\s\S]*?)^```$/m.exec(readme);
  if (!m) throw new Error('README: no ```toml block starting with title = "acme"');
  return m[1]!;
}

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));

interface JsonOut {
  findings: Array<{ ruleId: string; file: string }>;
  summary: { warnings: string[]; configs?: Array<{ path: string; kind: string; disabledRules?: number }> };
}

describe("README's sample .leakguard.toml", () => {
  it("loads as written, with the config it extends, and its rule reports an ACME key", async () => {
    const sample = readmeSample();
    const extendPath = /^path = "([^"]+)"/m.exec(sample)?.[1];
    expect(extendPath, "the sample's [extend] path").toBeDefined();
    // leakguard refuses a repository's config extending a file outside it (and the test must not write there).
    expect(extendPath).not.toMatch(/^(?:\/|[A-Za-z]:)|(?:^|\/)\.\.(?:\/|$)/);
    const r = new TestRepo();
    repos.push(r);
    r.write(".leakguard.toml", sample);
    r.write(extendPath!, 'title = "shared"\n');
    r.write("settings.ini", `acme_key = "acme_${randomToken(32, 1501)}"\n`);
    const res = await runIn(r.dir, ["scan", "--format", "json", "."], { env: { LEAKGUARD_FINGERPRINT_KEY: "" } });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as JsonOut;
    expect(out.summary.warnings).toEqual([]);
    expect(out.findings.map((f) => [f.ruleId, f.file])).toContainEqual(["acme-api-key", "settings.ini"]);
    const listed = JSON.parse(/^disabledRules = (\[.*?\])/m.exec(sample)?.[1] ?? "[]") as string[];
    expect(listed.length).toBeGreaterThan(0);
    expect(out.summary.configs).toEqual([
      { path: ".leakguard.toml", kind: "config", suppressed: 0, disabledRules: listed.length },
      { path: extendPath, kind: "extends", suppressed: 0 },
    ]);
  });
});
