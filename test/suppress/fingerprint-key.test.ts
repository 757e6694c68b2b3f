/**
 * LEAKGUARD_FINGERPRINT_KEY (issue 11, item 13), on real git repositories
 * through the CLI in process and the library:
 * - with the key, the same secret has the same fingerprint in two
 *   repositories (HMAC keyed by the key); without it, different ones, each
 *   the HMAC under its repository's root commit id;
 * - every command and the library decide the salt the same way;
 * - the key never appears in any output, report, baseline or error;
 * - a baseline made with the key and scanned without it (or with another key)
 *   says so in one warning line; ignore entries and baselines written before
 *   the key keep matching through the repository salt, with a warning.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createScanner, loadConfig, resolveFingerprintSalt, scanHistory, scanPaths, scanStaged, scanText } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken, randomToken } from "../helpers/secrets.js";

vi.setConfig({ testTimeout: 120_000 });

/** The CLI in process, with LEAKGUARD_FINGERPRINT_KEY cleared unless given: the machine's environment must not leak in. */
const runInProcess = (argv: string[], o: { cwd: string; env?: NodeJS.ProcessEnv }) => runIn(o.cwd, argv, { env: { LEAKGUARD_FINGERPRINT_KEY: "", ...o.env } });

const repos: TestRepo[] = [];
afterEach(() => repos.splice(0).forEach((r) => r.remove()));
function repo(files: Record<string, string>, message = "initial"): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles(files, message);
  return r;
}

interface JsonOut {
  findings: Array<{ ruleId: string; file: string; fingerprint: string }>;
  summary: { warnings: string[] };
}
// A key built at run time, long and random like a CI secret.
const KEY = `k-${randomToken(40, 1311)}`;
const withKey = { LEAKGUARD_FINGERPRINT_KEY: KEY };

async function scanJson(r: TestRepo, env: NodeJS.ProcessEnv = {}, ...args: string[]): Promise<JsonOut> {
  const res = await runInProcess(["scan", "--format", "json", ...args, "."], { cwd: r.dir, env });
  expect(res.stderr).toBe("");
  return JSON.parse(res.stdout) as JsonOut;
}

/** The fingerprint as the contract defines it, computed here independently of src/. */
const hmacFp = (salt: string, ruleId: string, secret: string): string =>
  createHmac("sha256", `leakguard-fp:${salt}`).update(ruleId).update("\0").update(secret).digest("hex").slice(0, 32);

describe("LEAKGUARD_FINGERPRINT_KEY", () => {
  it("with the key, one secret has one fingerprint across repositories; without it, each repository's root-commit HMAC", async () => {
    const token = githubToken(1301);
    const a = repo({ "app.env": `GITHUB_TOKEN=${token}\n` });
    const b = repo({ "deploy/prod.env": `TOKEN=${token}\n`, "README.md": "another repository\n" });

    const [fa, fb] = [(await scanJson(a)).findings, (await scanJson(b)).findings];
    expect(fa).toHaveLength(1);
    expect(fb).toHaveLength(1);
    expect(fa[0]!.fingerprint).not.toBe(fb[0]!.fingerprint);
    const rootA = a.git("rev-list", "--max-parents=0", "HEAD").trim();
    expect(fa[0]!.fingerprint).toBe(hmacFp(rootA, "github-pat", token));

    const [ka, kb] = [(await scanJson(a, withKey)).findings, (await scanJson(b, withKey)).findings];
    expect(ka[0]!.fingerprint).toBe(kb[0]!.fingerprint);
    expect(ka[0]!.fingerprint).toBe(hmacFp(KEY, "github-pat", token));
    expect(ka[0]!.fingerprint).not.toBe(fa[0]!.fingerprint);

    // history and staged agree with scan, with and without the key.
    b.write("new.env", `T=${token}\n`).add("new.env");
    for (const [env, want] of [[{}, undefined], [withKey, ka[0]!.fingerprint]] as const) {
      const h = await runInProcess(["history", "--format", "json", "."], { cwd: a.dir, env });
      expect((JSON.parse(h.stdout) as JsonOut).findings[0]!.fingerprint).toBe(want ?? fa[0]!.fingerprint);
      const s = await runInProcess(["staged", "--format", "json"], { cwd: b.dir, env });
      expect((JSON.parse(s.stdout) as JsonOut).findings[0]!.fingerprint).toBe(want ?? fb[0]!.fingerprint);
    }
  });

  it("the library decides the salt like the CLI: option, else environment, else repository", async () => {
    const token = githubToken(1302);
    const a = repo({ "app.env": `GITHUB_TOKEN=${token}\n` });
    const keyed = hmacFp(KEY, "github-pat", token);
    const rootA = a.git("rev-list", "--max-parents=0", "HEAD").trim();

    expect(scanText(`t=${token}`, { fingerprintKey: KEY })[0]!.fingerprint).toBe(keyed);
    expect((await scanPaths(["."], { root: a.dir, fingerprintKey: KEY })).findings[0]!.fingerprint).toBe(keyed);
    expect((await scanPaths(["."], { root: a.dir, env: withKey })).findings[0]!.fingerprint).toBe(keyed);
    expect((await scanPaths(["."], { root: a.dir, env: {} })).findings[0]!.fingerprint).toBe(hmacFp(rootA, "github-pat", token));
    expect((await scanHistory({ repo: a.dir, fingerprintKey: KEY })).findings[0]!.fingerprint).toBe(keyed);
    a.write("b.env", `X=${token}\n`).add("b.env");
    expect((await scanStaged({ cwd: a.dir, fingerprintKey: KEY })).findings[0]!.fingerprint).toBe(keyed);
    expect(createScanner(loadConfig({ noConfigFile: true }), { env: withKey }).scanText(`t=${token}`)[0]!.fingerprint).toBe(keyed);

    // The key wins over a config salt (the repository's config cannot downgrade it).
    a.write(".leakguard.toml", 'salt = "public"\n');
    expect((await scanPaths(["."], { root: a.dir, fingerprintKey: KEY })).findings[0]!.fingerprint).toBe(keyed);

    // The decided salt never shows its value when logged or serialised.
    const s = await resolveFingerprintSalt({ fingerprintKey: KEY });
    expect(s.kind).toBe("key");
    expect(s.value).toBe(KEY);
    expect(JSON.stringify(s)).not.toContain(KEY);
    expect(inspect(s)).not.toContain(KEY);
    expect(JSON.stringify(s)).toContain(s.keyId!);
  });

  it("the key never appears in any output, report, baseline or error", async () => {
    const token = githubToken(1303);
    const r = repo({ "app.env": `GITHUB_TOKEN=${token}\n` });
    const outputs: string[] = [];
    const go = async (...argv: string[]): Promise<void> => {
      const res = await runInProcess(argv, { cwd: r.dir, env: withKey });
      outputs.push(res.stdout, res.stderr);
    };
    for (const f of ["text", "json", "jsonl", "sarif", "junit", "csv", "github"]) {
      await go("scan", "--format", f, "--show-suppressed", ".");
      await go("history", "--format", f, ".");
    }
    await go("inventory", "--format", "json", ".");
    await go("baseline", "create");
    outputs.push(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8"));
    await go("scan", "--baseline", ".leakguard-baseline.json", "--show-suppressed", ".");
    r.write("more.env", `T=${githubToken(1304)}\n`).add("more.env");
    await go("staged", "--format", "json");
    await go("push", "--format", "json", "HEAD");
    // An error run too: a bad config must not echo the environment.
    r.write(".leakguard.toml", "[[rules]\n");
    await go("scan", ".");
    const all = outputs.join("\n");
    expect(all).toContain("github-pat");
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(KEY.slice(2, 20));
  });

  it("a baseline made with the key, scanned without it or with another key: one warning line saying so", async () => {
    const r = repo({ "app.env": `GITHUB_TOKEN=${githubToken(1305)}\n` });
    expect((await runInProcess(["baseline", "create"], { cwd: r.dir, env: withKey })).code).toBe(0);
    const b = JSON.parse(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8")) as { saltKind?: string; keyId?: string };
    expect(b.saltKind).toBe("key");
    expect(b.keyId).toMatch(/^[0-9a-f]{8}$/);

    expect((await scanJson(r, withKey, "--baseline", ".leakguard-baseline.json")).findings).toHaveLength(0);

    const without = await runInProcess(["scan", "--baseline", ".leakguard-baseline.json", "."], { cwd: r.dir });
    expect(without.code).toBe(1);
    const w = without.stdout.split("\n").filter((l) => l.startsWith("warning:"));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/made with LEAKGUARD_FINGERPRINT_KEY \(key id [0-9a-f]{8}\), which is not set now/);

    const other = await runInProcess(["scan", "--baseline", ".leakguard-baseline.json", "."], { cwd: r.dir, env: { LEAKGUARD_FINGERPRINT_KEY: `${KEY}-rotated` } });
    expect(other.stdout).toMatch(/warning: .*made with another LEAKGUARD_FINGERPRINT_KEY \(key id [0-9a-f]{8}; now [0-9a-f]{8}\)/);

    // update refuses to mix keys rather than silently dropping every entry.
    const upd = await runInProcess(["baseline", "update"], { cwd: r.dir });
    expect(upd.code).toBe(2);
    expect(upd.stderr).toMatch(/made with LEAKGUARD_FINGERPRINT_KEY \(key id [0-9a-f]{8}\), which is not set now/);
  });

  it("a baseline and ignore entries written before the key still match with it, with a warning; update re-keys the baseline", async () => {
    const kept = githubToken(1306);
    const ignored = githubToken(1307);
    const r = repo({ "a.env": `GITHUB_TOKEN=${kept}\n`, "b.env": `GITHUB_TOKEN=${ignored}\n` });
    expect((await runInProcess(["baseline", "create", "--reason", "legacy"], { cwd: r.dir })).code).toBe(0);
    const plain = await scanJson(r);
    const ignoredFp = plain.findings.find((f) => f.file === "b.env")!.fingerprint;
    r.write(".leakguardignore", `${ignoredFp} test fixture\n`);

    const keyed = await runInProcess(["scan", "--format", "json", "--baseline", ".leakguard-baseline.json", "."], { cwd: r.dir, env: withKey });
    const out = JSON.parse(keyed.stdout) as JsonOut;
    expect(out.findings).toHaveLength(0);
    expect(out.summary.warnings).toEqual([
      expect.stringMatching(/^\.leakguardignore: 1 entry matches only by the repository salt \(root commit\), not by LEAKGUARD_FINGERPRINT_KEY/),
      expect.stringMatching(/^\.leakguard-baseline\.json: made with the repository salt \(root commit\), not LEAKGUARD_FINGERPRINT_KEY .*still match/),
    ]);

    const upd = await runInProcess(["baseline", "update"], { cwd: r.dir, env: withKey });
    expect(upd.code).toBe(0);
    expect(upd.stderr).toMatch(/re-keyed from the repository salt \(root commit\) to LEAKGUARD_FINGERPRINT_KEY \(key id [0-9a-f]{8}\) \(1 entries kept\)/);
    const b = JSON.parse(readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8")) as { saltKind: string; entries: Array<{ reason?: string; fingerprint: string }> };
    expect(b.saltKind).toBe("key");
    expect(b.entries).toEqual([expect.objectContaining({ reason: "legacy", fingerprint: hmacFp(KEY, "github-pat", kept) })]);
    const after = JSON.parse((await runInProcess(["scan", "--format", "json", "--baseline", ".leakguard-baseline.json", "."], { cwd: r.dir, env: withKey })).stdout) as JsonOut;
    expect(after.findings).toHaveLength(0);
    expect(after.summary.warnings.filter((x) => x.includes("baseline"))).toEqual([]);
  });
});
