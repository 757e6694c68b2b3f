/**
 * Nothing leaks from real repositories: random secrets planted in the shapes
 * that used to slip past redaction — several secrets on one line, a secret
 * next to one the ignore file, the baseline or a global allowlist accepted, a
 * commit message holding several secrets (one behind an inline marker) that
 * rides on every finding of its commit, a note and a tag message — and then
 * every command (scan, staged, staged --message-file, push, history,
 * inventory, baseline create/update) in every format, with and without
 * --show-suppressed and --output. No piece of any planted secret may appear
 * in stdout, stderr, the written report or the baseline file.
 *
 * The CLI runs in process (run(argv, io)); the repositories, commits, notes
 * and tags are real git.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { INVENTORY_FORMATS } from "../../src/report/inventory/index.js";
import { SCAN_FORMATS } from "../../src/report/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, awsSecret, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterAll(() => {
  while (repos.length) repos.pop()!.remove();
});

/** The planted secrets, by the shape they stand in. */
interface Planted {
  /** Reported together on one line (a.env). */
  keyId: string;
  keySecret: string;
  /** Reported, next to each suppressed one below. */
  token: string;
  /** Suppressed by .leakguardignore (fingerprint), on token's line (b.env). */
  ignored: string;
  /** Suppressed by the baseline, on token's line (c.env). */
  baselined: string;
  /** Suppressed by a global allowlist, on token's line (e.env). */
  allowed: string;
  /** Two reported in one commit message, and one behind leakguard:allow in it. */
  msg1: string;
  msg2: string;
  msgAllowed: string;
  /** In a note (next to msg1) and in an annotated tag message (two). */
  note: string;
  tag1: string;
  tag2: string;
  /** Staged, not committed: two on one line, and two in the commit message file. */
  staged1: string;
  staged2: string;
  editMsg1: string;
  editMsg2: string;
}

const planted = fc.integer({ min: 1, max: 2 ** 24 }).map((n): Planted => {
  const t = (k: number): string => githubToken(n * 31 + k);
  return {
    keyId: awsKeyId(n),
    keySecret: awsSecret(n + 7),
    token: t(1),
    ignored: t(2),
    baselined: t(3),
    allowed: t(4),
    msg1: t(5),
    msg2: t(6),
    msgAllowed: t(7),
    note: t(8),
    tag1: t(9),
    tag2: t(10),
    staged1: t(11),
    staged2: t(12),
    editMsg1: t(13),
    editMsg2: t(14),
  };
});

/** Every 10-character piece of every planted secret (a cut secret leaks as surely as a whole one), with the shape it comes from. */
function pieces(p: Planted): Map<string, string> {
  const out = new Map<string, string>();
  for (const [shape, s] of Object.entries(p)) for (let i = 0; i + 10 <= s.length; i++) out.set(s.slice(i, i + 10), shape);
  return out;
}

function expectClean(where: string, text: string, bad: ReadonlyMap<string, string>): void {
  for (const [piece, shape] of bad) {
    const at = text.indexOf(piece);
    if (at >= 0) {
      const line = text.slice(text.lastIndexOf("\n", at) + 1, at).slice(-60);
      throw new Error(`${where}: part of the '${shape}' secret is printed, after: ${JSON.stringify(line)}`);
    }
  }
}

const lg = (r: TestRepo, args: string[]): ReturnType<typeof runIn> => runIn(r.dir, args);

/**
 * A repository holding every shape: commit 1 (c.env with the baselined
 * secret, the config allowlisting `allowed`), the baseline, commit 2 (the
 * shared lines; the message with three secrets; a note; a tag), commit 3
 * (the ignore file), then a staged file and a commit message file.
 */
async function build(p: Planted): Promise<{ repo: TestRepo; base: string }> {
  const repo = new TestRepo();
  repos.push(repo);
  // A config salt: which salt keys the fingerprints does not change what is printed, and the
  // repository salt (the oldest root commit; the note adds a second root) costs two git runs per command.
  repo.write(".leakguard.toml", `salt = "no-leak-test"\n[allowlist]\ndescription = "accepted test value"\nregexes = ['''^${p.allowed}$''']\n`);
  const base = repo.commitFiles({ "c.env": `LEGACY_TOKEN=${p.baselined}\n` }, "init", "2024-01-01T00:00:00Z");
  // A .gitignore keeps the files the commands write out of what later runs scan.
  repo.write(".gitignore", "report.out\nnew.json\n");
  const made = await lg(repo, ["baseline", "create", "."]);
  expect(made.code, made.stderr).toBe(0);
  repo.commitFiles(
    {
      ".leakguard-baseline.json": readFileSync(join(repo.dir, ".leakguard-baseline.json"), "utf8"),
      "a.env": `AWS_ACCESS_KEY_ID=${p.keyId} AWS_SECRET_ACCESS_KEY=${p.keySecret}\n`,
      "b.env": `GITHUB_TOKEN=${p.token} OLD_TOKEN=${p.ignored}\n`,
      "c.env": `LEGACY_TOKEN=${p.baselined} GITHUB_TOKEN=${p.token}\n`,
      "e.env": `GITHUB_TOKEN=${p.token} TEST_TOKEN=${p.allowed}\n`,
    },
    `deploy ${p.msg1} and ${p.msg2}\n\nold ${p.msgAllowed} leakguard:allow rotated`,
    "2024-02-01T00:00:00Z",
  );
  repo.git("notes", "add", "-m", `rotated ${p.note} (was ${p.msg1})`, "HEAD");
  repo.gitWith(["tag", "-a", "v1", "-m", `release ${p.tag1} ${p.tag2}`], { env: { GIT_COMMITTER_DATE: "2024-02-02T00:00:00Z" } });
  // The ignore file names the fingerprint of `ignored` (ask the scanner).
  const found = await lg(repo, ["scan", "-f", "json", "--show-secrets", "b.env"]);
  const fp = (JSON.parse(found.stdout) as { findings: Array<{ secret: string; fingerprint: string }> }).findings.find((f) => f.secret === p.ignored)?.fingerprint;
  expect(fp).toBeDefined();
  repo.commitFiles({ ".leakguardignore": `${fp} old token, revoked\n` }, "ignore the old token", "2024-03-01T00:00:00Z");
  repo.write("s.env", `GITHUB_TOKEN=${p.staged1} BACKUP_TOKEN=${p.staged2}\n`).add("s.env");
  writeFileSync(join(repo.dir, ".git", "COMMIT_EDITMSG"), `add ${p.editMsg1} ${p.editMsg2}\n`);
  return { repo, base };
}

/** The scanning commands: name and arguments (the format flags go after the command word). */
function commands(base: string): Array<[string, string, string[]]> {
  const bl = ["--baseline", ".leakguard-baseline.json"];
  return [
    ["scan", "scan", [...bl, "."]],
    ["staged", "staged", bl],
    ["staged --message-file", "staged", ["--message-file", ".git/COMMIT_EDITMSG"]],
    ["push", "push", [...bl, `${base}..HEAD`]],
    ["history", "history", bl],
  ];
}

// One repository for the whole file (each command costs a real scan); its secrets are random per run.
const seed = fc.sample(fc.integer({ min: 1, max: 2 ** 24 }), 1)[0]!;
const p = fc.sample(planted.map((x) => x), { numRuns: 1, seed })[0]!;
let built: Promise<{ repo: TestRepo; base: string }> | undefined;
const repo = (): Promise<{ repo: TestRepo; base: string }> => (built ??= build(p));
const bad = pieces(p);

describe(`no planted secret leaks from any command in any format (real git; fast-check seed ${seed})`, () => {
  it("the shapes are there: with --show-secrets every planted secret is printed (so the checks below can fail)", async () => {
    const { repo: r } = await repo();
    const bl = ["--baseline", ".leakguard-baseline.json"];
    // Code frames (text) hold the lines; jsonl the messages.
    const raw = (await lg(r, ["history", "--show-secrets", ...bl])).stdout + (await lg(r, ["history", "-f", "jsonl", "--show-secrets", ...bl])).stdout;
    for (const s of [p.keyId, p.keySecret, p.token, p.ignored, p.baselined, p.allowed, p.msg1, p.msg2, p.msgAllowed, p.note, p.tag1, p.tag2]) expect(raw).toContain(s);
    const staged = (await lg(r, ["staged", "--show-secrets"])).stdout;
    for (const s of [p.staged1, p.staged2]) expect(staged).toContain(s);
    const msg = (await lg(r, ["staged", "--show-secrets", "--message-file", ".git/COMMIT_EDITMSG"])).stdout;
    for (const s of [p.editMsg1, p.editMsg2]) expect(msg).toContain(s);
  }, 120_000);

  for (const [name, cmd, args] of commands("BASE")) {
    it(`${name}: every format, to stdout and with --output, --show-suppressed`, async () => {
      const { repo: r, base } = await repo();
      const rest = args.map((a) => a.replace("BASE", base));
      const text = await lg(r, [cmd, "--show-suppressed", ...rest]);
      expect(text.code, text.stderr).toBe(1);
      expectClean(`${name} (text to the terminal)`, text.stdout + text.stderr, bad);
      for (const format of SCAN_FORMATS) {
        const w = await lg(r, [cmd, "-f", format, "--show-suppressed", "-o", "report.out", ...rest]);
        expect(w.code, `${name} -f ${format}: ${w.stderr}`).toBe(1);
        expectClean(`${name} -f ${format} -o`, readFileSync(join(r.dir, "report.out"), "utf8") + w.stdout + w.stderr, bad);
      }
    }, 120_000);
  }

  it("inventory, every format; baseline create and update: no planted secret in the output or the baseline file", async () => {
    const { repo: r } = await repo();
    for (const format of INVENTORY_FORMATS) {
      const w = await lg(r, ["inventory", "-f", format, "-o", "report.out"]);
      expect(w.code, `inventory -f ${format}: ${w.stderr}`).toBe(1);
      expectClean(`inventory -f ${format} -o`, readFileSync(join(r.dir, "report.out"), "utf8") + w.stdout + w.stderr, bad);
    }
    const t = await lg(r, ["inventory"]);
    expectClean("inventory (text to the terminal)", t.stdout + t.stderr, bad);
    expectClean("the committed baseline", readFileSync(join(r.dir, ".leakguard-baseline.json"), "utf8"), bad);
    for (const args of [["baseline", "create", "--force", "--baseline", "new.json", "."], ["baseline", "update", "--baseline", "new.json", "--reason", "accepted", "."]]) {
      const b = await lg(r, args);
      expect(b.code, `${args.join(" ")}: ${b.stderr}`).toBe(0);
      expectClean(args.slice(0, 2).join(" "), readFileSync(join(r.dir, "new.json"), "utf8") + b.stdout + b.stderr, bad);
    }
    expect(readFileSync(join(r.dir, "new.json"), "utf8")).toMatch(/"fingerprint"/);
  }, 120_000);
});
