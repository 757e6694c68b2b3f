/**
 * `leakguard inventory merge`: three real repositories that share one secret
 * (built at run time), each inventoried on its own as a CI job would, merged
 * into one organisation inventory. With one fingerprint key the shared secret
 * is one row naming the three repositories; without one the merge says it
 * cannot correlate them.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ArgumentError } from "../src/errors.js";
import { mergeInventories, type MergeInput } from "../src/inventory/merge.js";
import type { Inventory, InventoryRow } from "../src/inventory/types.js";
import { TestRepo } from "./helpers/git-repo.js";
import { runIn } from "./helpers/in-process.js";
import { awsKeyId, githubToken, randomToken } from "./helpers/secrets.js";
import { buildHistory, line } from "./helpers/history-fixture.js";

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-org-"));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

const SHARED = githubToken(301);
const NAMES = ["api", "web", "worker"] as const;

/** Three repositories (separate histories, so separate root commits) sharing SHARED, each with one secret of its own. */
function makeOrganisation(): TestRepo[] {
  return NAMES.map((name, i) => {
    const repo = new TestRepo();
    repo.git("remote", "add", "origin", `git@github.com:acme/${name}.git`);
    buildHistory(repo, [
      { files: { [`src/${name}.js`]: line("token", SHARED) }, message: `${name}: token`, date: `2024-0${i + 1}-10T00:00:00Z`, author: `Dev ${name}`, email: `${name}@example.test` },
      { files: { [`config/${name}.env`]: `AWS_ACCESS_KEY_ID=${awsKeyId(310 + i)}\n` }, message: `${name}: aws`, date: `2024-0${i + 2}-01T00:00:00Z` },
      ...(name === "web" ? [{ files: { [`src/${name}.js`]: null }, message: "web: drop token", date: "2024-04-01T00:00:00Z" }] : []),
    ]);
    return repo;
  });
}
// Made once for the file: the tests only read them (inventories go to other folders; the docs test copies them).
let org: TestRepo[] | undefined;
const organisation = (): TestRepo[] => (org ??= makeOrganisation());
afterAll(() => {
  for (const r of org ?? []) r.remove();
});

/** Each repository's `inventory --format json` into `out`, as the matrix jobs do; returns the file names. */
async function inventories(repos: TestRepo[], out: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<string[]> {
  const files: string[] = [];
  for (const [i, repo] of repos.entries()) {
    const file = `${NAMES[i]}.json`;
    const r = await runIn(repo.dir, ["inventory", "--format", "json", "--output", join(out, file), "--exit-code", "0", ...extra], { env });
    expect(r.code, r.stderr).toBe(0);
    files.push(file);
  }
  return files;
}

const shared = (inv: Inventory): InventoryRow[] => inv.rows.filter((r) => r.ruleId === "github-pat");

describe("inventory merge", () => {
  /** How the organisation shares one fingerprint key across its repositories' jobs. */
  const sharing: Array<[string, (out: string) => { env: NodeJS.ProcessEnv; extra: string[] }]> = [
    ["one LEAKGUARD_FINGERPRINT_KEY shared by every job", () => ({ env: { LEAKGUARD_FINGERPRINT_KEY: randomToken(40, 320) }, extra: [] })],
    [
      "one salt in a shared config file",
      (out) => {
        writeFileSync(join(out, "org.toml"), `salt = "${randomToken(32, 321)}"\n`);
        return { env: { LEAKGUARD_FINGERPRINT_KEY: "" }, extra: ["--config", join(out, "org.toml")] };
      },
    ],
  ];
  for (const [how, setup] of sharing) it(`with ${how}: the shared secret is one row naming the three repositories`, async () => {
    const out = tempDir();
    const { env, extra } = setup(out);
    const files = await inventories(organisation(), out, env, extra);
    const r = await runIn(out, ["inventory", "merge", ...files, "--format", "json", "--name", "acme"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const org = JSON.parse(r.stdout) as Inventory;
    expect(org.repository).toBe("acme");
    expect(org.warnings).toBeUndefined();
    expect(org.repositories!.map((x) => x.name)).toEqual(["acme/api", "acme/web", "acme/worker"]);
    // One key id for all; the key itself is in no output.
    const ids = org.repositories!.map((x) => x.fingerprintSalt);
    expect(new Set(ids.map((x) => JSON.stringify(x))).size).toBe(1);
    if (env.LEAKGUARD_FINGERPRINT_KEY) {
      expect(ids[0]).toMatchObject({ kind: "key", keyId: expect.stringMatching(/^[0-9a-f]{8}$/) });
      expect(r.stdout).not.toContain(env.LEAKGUARD_FINGERPRINT_KEY);
    }
    const rows = shared(org);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.repositories!.map((p) => p.name).sort()).toEqual(["acme/api", "acme/web", "acme/worker"]);
    expect(row.introduced.author).toBe("Dev api"); // the earliest, in acme/api
    expect(row.atHead).toBe(true);
    expect(row.reused).toBe(true);
    const web = row.repositories!.find((p) => p.name === "acme/web")!;
    expect(web).toMatchObject({ atHead: false, files: ["src/web.js"] });
    expect(web.removed?.date.slice(0, 10)).toBe("2024-04-01");
    expect(row.repositories!.find((p) => p.name === "acme/worker")!.introduced.date.slice(0, 10)).toBe("2024-03-10");
    expect(row.secret).toBe(SHARED.slice(0, 4) + "…"); // redacted once, not twice
    expect(org.summary).toMatchObject({ secrets: 4, sharedAcrossRepositories: 1 });
    expect(org.rows.filter((x) => x.ruleId === "aws-access-key-id")).toHaveLength(3);
    for (const x of org.rows) expect(JSON.stringify(x)).not.toContain(SHARED);

    // The same data in every format, reuse shown.
    const md = await runIn(out, ["inventory", "merge", ...files, "--format", "markdown"], { env });
    expect(md.stdout).toContain("# Organisation secret inventory: 3 repositories");
    expect(md.stdout).toMatch(/\| 3: acme\/[a-z]+, acme\/[a-z]+, acme\/[a-z]+ \|/);
    expect(md.stdout).toContain("| in several repositories | 1 |");
    const csv = parse((await runIn(out, ["inventory", "merge", ...files, "--format", "csv"], { env })).stdout, { columns: true, record_delimiter: "\r\n" }) as Array<Record<string, string>>;
    const pat = csv.find((x) => x.ruleId === "github-pat")!;
    expect(pat.repositoryCount).toBe("3");
    expect(pat.repositories!.split("\n").sort()).toEqual(["acme/api", "acme/web", "acme/worker"]);
    const text = await runIn(out, ["inventory", "merge", ...files], { env });
    expect(text.stdout).toContain("4 distinct secrets in 3 repositories, 1 in several repositories");
    const html = await runIn(out, ["inventory", "merge", ...files, "--format", "html", "--output", "org.html"], { env });
    expect(html.code).toBe(1);
    expect(existsSync(join(out, "org.html"))).toBe(true);
  });

  it("without a shared key: the merge warns that it cannot correlate, and keeps every repository's rows apart", async () => {
    const out = tempDir();
    const files = await inventories(organisation(), out, { LEAKGUARD_FINGERPRINT_KEY: "" });
    const r = await runIn(out, ["inventory", "merge", ...files, "--format", "json"], { env: { LEAKGUARD_FINGERPRINT_KEY: "" } });
    const warning = /^warning: the inventories were made with 3 different fingerprint keys \(acme\/api: its own repository salt \([0-9a-f]+\); acme\/web: .*; acme\/worker: .*\): the same secret cannot be recognised across them\. Scan every repository with one shared LEAKGUARD_FINGERPRINT_KEY/;
    expect(r.stderr).toMatch(warning);
    const org = JSON.parse(r.stdout) as Inventory;
    expect(org.warnings).toHaveLength(1);
    expect(shared(org)).toHaveLength(3);
    expect(org.summary.sharedAcrossRepositories).toBe(0);
    const html = await runIn(out, ["inventory", "merge", ...files, "--format", "html"]);
    expect(html.stdout).toContain('<p class="warning" role="alert">⚠ the inventories were made with 3 different fingerprint keys');
  });

  it("the same repository given twice (a copy of its file) counts once, with a warning", async () => {
    const out = tempDir();
    const [api] = organisation();
    const env = { LEAKGUARD_FINGERPRINT_KEY: randomToken(40, 322) };
    const [file] = await inventories([api!], out, env);
    copyFileSync(join(out, file!), join(out, "copy.json"));
    const res = await runIn(out, ["inventory", "merge", file!, "copy.json", "--format", "json"], { env });
    expect(res.code, res.stderr).toBe(1);
    const inv = JSON.parse(res.stdout) as Inventory;
    expect(inv.repositories).toHaveLength(1);
    expect(inv.rows.every((r) => !r.reused)).toBe(true);
    expect((inv.warnings ?? []).join("\n")).toMatch(/copy\.json: the same repository at the same commit as api\.json; left out/);
  });

  it("bad input: one clear line, exit 2, nothing written", async () => {
    const out = tempDir();
    writeFileSync(join(out, "scan.json"), JSON.stringify({ version: "1", tool: "leakguard", findings: [] }));
    writeFileSync(join(out, "broken.json"), "{");
    for (const [args, msg] of [
      [["scan.json"], "leakguard: scan.json: not a leakguard inventory (make it with 'leakguard inventory --format json')"],
      [["broken.json"], /^leakguard: broken\.json: not JSON \(/],
      [["missing.json"], "leakguard: missing.json: cannot read (no such file)"],
      [[], "leakguard: 'leakguard inventory merge' needs at least one inventory JSON file (made with 'leakguard inventory --format json')"],
    ] as const) {
      const r = await runIn(out, ["inventory", "merge", ...args, "--output", "org.json"]);
      expect(r.code).toBe(2);
      if (typeof msg === "string") expect(r.stderr.trim()).toBe(msg);
      else expect(r.stderr.trim()).toMatch(msg);
      expect(existsSync(join(out, "org.json"))).toBe(false);
    }
  });
});

describe("mergeInventories (library)", () => {
  const row = (over: Partial<InventoryRow>): InventoryRow => ({
    fingerprint: "f".repeat(32), ruleId: "r", title: "T", severity: "high", confidence: "high", secret: "abcd…", secretRedacted: true,
    files: ["a"], occurrences: 1, commits: ["c1"], commitCount: 1, introduced: { commit: "c1", date: "2024-01-01T00:00:00Z", author: "A" },
    atHead: true, exposureDays: 0, state: "at-head", reused: false, otherRules: [], pushed: false, tags: [], canary: false, risk: 50, remediation: "", references: [],
    ...over,
  });
  const inv = (repository: string, rows: InventoryRow[], id: string | null = "k1"): Inventory => ({
    tool: "leakguard", version: "0", generatedAt: "2024-06-01T00:00:00Z", repository, rows,
    summary: { secrets: rows.length, atHead: 0, removedButInHistory: 0, reused: 0, rotated: 0, canaries: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, commitsScanned: 5 },
    ...(id ? { fingerprintSalt: { id } } : {}),
  });

  it("a rotation recorded in one repository rotates the secret everywhere; exposure runs from the earliest introduction", () => {
    const org = mergeInventories([
      { file: "a.json", inventory: inv("/ci/a", [row({ introduced: { commit: "c1", date: "2024-02-01T00:00:00Z", author: "A" } })]) },
      { file: "b.json", inventory: inv("/ci/b", [row({ introduced: { commit: "c2", date: "2024-01-01T00:00:00Z", author: "B" }, atHead: false, rotated: { date: "2024-03-01", source: ".leakguardignore:1" }, state: "rotated" })]) },
    ]);
    expect(org.rows).toHaveLength(1);
    expect(org.rows[0]).toMatchObject({ state: "rotated", exposureDays: 60, introduced: { author: "B" } });
    expect(org.rows[0]!.repositories!.map((p) => p.name)).toEqual(["a", "b"]);
    expect(org.summary.commitsScanned).toBe(10);
  });

  it("a rotation ends each repository's own exposure too: repositories[*].exposureDays stop at the rotation date", () => {
    const org = mergeInventories(
      [
        { file: "a.json", inventory: inv("/ci/a", [row({ introduced: { commit: "c1", date: "2024-01-01T00:00:00Z", author: "A" }, exposureDays: 152, risk: 52 })]) },
        { file: "b.json", inventory: inv("/ci/b", [row({ introduced: { commit: "c2", date: "2024-02-01T00:00:00Z", author: "B" }, atHead: false, exposureDays: 29, rotated: { date: "2024-03-01", source: ".leakguardignore:1" }, state: "rotated", risk: 3 })]) },
      ],
      { generatedAt: "2024-09-17T00:00:00Z" },
    );
    const merged = org.rows[0]!;
    expect(merged.exposureDays).toBe(60);
    const byName = Object.fromEntries(merged.repositories!.map((p) => [p.name, p]));
    expect(byName.a!.exposureDays).toBe(60);
    expect(byName.b!.exposureDays).toBe(29);
    expect(Math.max(...merged.repositories!.map((p) => p.exposureDays))).toBeLessThanOrEqual(merged.exposureDays);
    // Its risk is that of a rotated secret as well (the same formula as the merged row).
    expect(byName.a!.risk).toBeLessThan(52);
  });

  it("an input without a key id is kept apart, with a warning naming it", () => {
    const org = mergeInventories([
      { file: "a.json", inventory: inv("/ci/a", [row({})]) },
      { file: "old.json", inventory: inv("/ci/old", [row({})], null) },
    ]);
    expect(org.rows).toHaveLength(2);
    expect(org.warnings).toEqual(["old.json: records no fingerprint key id (made by an older leakguard); its secrets are not matched with other repositories'"]);
  });

  it("bare inventories (readInventoryFile's results passed as they are) are an ArgumentError saying to pass { file, inventory }", () => {
    const a = inv("/ci/a", [row({})]);
    const bare = () => mergeInventories([a, a] as unknown as MergeInput[]);
    expect(bare).toThrow(ArgumentError);
    expect(bare).toThrow('mergeInventories: inputs[0] is an inventory; pass { file, inventory }: { file: "a.json", inventory: readInventoryFile("a.json") }');
    expect(() => mergeInventories(a as unknown as MergeInput[])).toThrow("mergeInventories: inputs must be an array of { file, inventory }, got an object");
    expect(() => mergeInventories([{ file: "a.json", inventory: a }, { file: 3, inventory: a }] as unknown as MergeInput[])).toThrow("mergeInventories: inputs[1].file must be a string");
    expect(() => mergeInventories([{ file: "a.json", inventory: null }] as unknown as MergeInput[])).toThrow("mergeInventories: inputs[0].inventory must be an inventory");
    expect(() => mergeInventories([{ file: "a.json", inventory: a }], "org" as unknown as object)).toThrow(ArgumentError);
  });
});

describe("docs/org-inventory.md: the documented workflow", () => {
  const doc = readFileSync(fileURLToPath(new URL("../docs/org-inventory.md", import.meta.url)), "utf8");
  const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;

  it("fans out with a matrix (full history, shared key from secrets, cache, artifacts) and merges in a final job", () => {
    expect(yaml).toMatch(/strategy:\n\s+fail-fast: false[\s\S]*matrix:\n\s+repository:\n(\s+- [\w-]+\/[\w-]+\n)+/);
    expect(yaml).toMatch(/uses: actions\/checkout@v4\n\s+with:\n[\s\S]*?fetch-depth: 0/);
    expect(yaml.match(/LEAKGUARD_FINGERPRINT_KEY: \$\{\{ secrets\.LEAKGUARD_FINGERPRINT_KEY \}\}/g)).toHaveLength(2);
    expect(yaml).toContain("uses: actions/cache@v4");
    expect(yaml).toContain("uses: actions/upload-artifact@v4");
    expect(yaml).toMatch(/merge:\n\s+needs: inventory[\s\S]*uses: actions\/download-artifact@v4[\s\S]*leakguard inventory merge \*\.json/);
    // No tab characters, consistent two-space indentation under jobs.
    expect(yaml).not.toContain("\t");
  });

  it("its leakguard command lines run as written (on real repositories, in process)", async () => {
    const lines = yaml
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("leakguard ") || l.startsWith("run: leakguard "))
      .map((l) => l.replace(/^run: /, ""));
    expect(lines.filter((l) => l.startsWith("leakguard history "))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("leakguard inventory repo "))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("leakguard inventory merge "))).toHaveLength(4);
    const work = tempDir();
    const env = { LEAKGUARD_FINGERPRINT_KEY: "", ORG: "acme" };
    const repos = organisation();
    const inventoriesDir = join(work, "inventories");
    mkdirSync(inventoriesDir);
    // Words split as a shell would for these lines: quotes removed, variables substituted.
    const argv = (l: string, slug: string, jsons: string[]): string[] =>
      l
        .replace(/\$\{\{ steps\.name\.outputs\.slug \}\}/g, slug)
        .replace(/"\$ORG"/g, "acme")
        .replace(/"/g, "")
        .split(/\s+/)
        .slice(1)
        .flatMap((w) => (w === "*.json" ? jsons : [w]));
    for (const [i, repo] of repos.entries()) {
      const job = join(work, `job-${i}`);
      mkdirSync(join(job, "out"), { recursive: true });
      cpSync(repo.dir, join(job, "repo"), { recursive: true });
      for (const l of lines.filter((x) => !x.includes(" merge "))) {
        const r = await runIn(job, argv(l, `acme__${NAMES[i]}`, []), { env });
        expect(r.code, `${l}\n${r.stderr}`).toBe(0);
      }
      cpSync(join(job, "out", `acme__${NAMES[i]}.json`), join(inventoriesDir, `acme__${NAMES[i]}.json`));
    }
    const jsons = NAMES.map((n) => `acme__${n}.json`);
    for (const l of lines.filter((x) => x.includes(" merge "))) {
      const r = await runIn(inventoriesDir, argv(l, "", jsons), { env });
      expect(r.code, `${l}\n${r.stderr}`).toBe(0);
    }
    for (const ext of ["html", "md", "json", "csv"]) expect(existsSync(join(work, `org-inventory.${ext}`))).toBe(true);
    const org = JSON.parse(readFileSync(join(work, "org-inventory.json"), "utf8")) as Inventory;
    expect(org.repository).toBe("acme");
    expect(org.repositories).toHaveLength(3);
  });
});
