/**
 * Regressions of issue 11 items 1 and 2, on real git: every text a reporter
 * prints is redacted against every secret the report knows, not only its own
 * finding's.
 * - Text code frames: a line holding two secrets, or a reported secret next to
 *   one the ignore file accepted, printed the other one raw.
 * - json/jsonl/csv `message`: a finding in a file carried its commit's message
 *   with the message's secrets raw; so did a note attached to that commit, and
 *   a tag message's frame.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { buildHistory } from "../helpers/history-fixture.js";
import { runIn } from "../helpers/in-process.js";
import { awsKeyId, awsSecret, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
const repo = (): TestRepo => {
  const r = new TestRepo();
  repos.push(r);
  return r;
};
afterAll(() => {
  while (repos.length) repos.pop()!.remove();
});

const keyId = awsKeyId(1101);
const keySecret = awsSecret(1102);
const [t1, t2, t3, t4] = [1103, 1104, 1105, 1106].map((n) => githubToken(n)) as [string, string, string, string];

function lines(jsonl: string): Array<Record<string, unknown>> {
  return jsonl.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("text code frames redact every secret on the line", () => {
  it("scan: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY on one line, in the terminal and with --output", async () => {
    const r = repo();
    r.commitFiles({ "deploy.env": `AWS_ACCESS_KEY_ID=${keyId} AWS_SECRET_ACCESS_KEY=${keySecret}\n` }, "deploy");
    const out = await runIn(r.dir, ["scan", "."]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`1 | AWS_ACCESS_KEY_ID=${keyId.slice(0, 4)}… AWS_SECRET_ACCESS_KEY=${keySecret.slice(0, 4)}…`);
    for (const s of [keyId, keySecret]) expect(out.stdout).not.toContain(s);
    await runIn(r.dir, ["scan", "-o", "x.txt", "deploy.env"]);
    const file = readFileSync(join(r.dir, "x.txt"), "utf8");
    expect(file).toContain("AWS_SECRET_ACCESS_KEY=");
    for (const s of [keyId, keySecret]) expect(file).not.toContain(s);
  });

  it("scan --show-suppressed: a secret the ignore file accepts, next to a reported one, is not printed", async () => {
    const r = repo();
    r.commitFiles({ "app.env": `GITHUB_TOKEN=${t1} OLD_TOKEN=${t2}\n` }, "app");
    const found = lines((await runIn(r.dir, ["scan", "-f", "jsonl", "--show-secrets", "."])).stdout);
    const fp = found.find((f) => f.secret === t2)!.fingerprint as string;
    r.write(".leakguardignore", `${fp} revoked\n`);
    const out = await runIn(r.dir, ["scan", "--show-suppressed", "."]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/ignore-file/);
    for (const s of [t1, t2]) expect(out.stdout).not.toContain(s);
  });

  it("staged --message-file (the commit-msg hook): a message holding two secrets", async () => {
    const r = repo();
    r.commitFiles({ "README.md": "hello\n" }, "init");
    r.write(".git/COMMIT_EDITMSG", `fix: use ${t1} instead of ${t2}\n`);
    const out = await runIn(r.dir, ["staged", "--message-file", ".git/COMMIT_EDITMSG"]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain(`1 | fix: use ${t1.slice(0, 4)}… instead of ${t2.slice(0, 4)}…`);
    for (const s of [t1, t2]) expect(out.stdout + out.stderr).not.toContain(s);
  });
});

describe("json, jsonl and csv: a commit's message is redacted on every finding of that commit", () => {
  it("history: file findings, the message's own findings, a note on the commit and a tag message", async () => {
    const r = repo();
    r.commitFiles({ "a.env": `GITHUB_TOKEN=${t1}\n` }, `add the token\n\nthe old one was ${t2}`, "2024-01-01T00:00:00Z");
    r.git("notes", "add", "-m", `rotated ${t3}`, "HEAD");
    r.gitWith(["tag", "-a", "v1", "-m", `release ${t4} and ${t2}`], {});
    const outputs: Record<string, string> = {};
    for (const format of ["json", "jsonl", "csv"]) {
      const out = await runIn(r.dir, ["history", "-f", format]);
      expect(out.code, out.stderr).toBe(1);
      for (const s of [t1, t2, t3, t4]) expect(out.stdout, format).not.toContain(s);
      outputs[format] = out.stdout;
    }
    const found = lines(outputs.jsonl!);
    expect(new Set(found.map((f) => f.source))).toEqual(new Set(["file", "commit-message", "note", "tag-message"]));
    const file = found.find((f) => f.source === "file")!;
    expect(file.message).toBe(`add the token\n\nthe old one was ${t2.slice(0, 4)}…`);
    const note = found.find((f) => f.source === "note")!;
    expect(note.message).toBe("Notes added by 'git notes add'");
    const text = await runIn(r.dir, ["history"]);
    expect(text.stdout).toContain(`1 | release ${t4.slice(0, 4)}… and ${t2.slice(0, 4)}…`);
  }, 120_000);

  it("history --since: a note carries its notes commit's message, whose secret is still redacted (the walk never scans notes commits)", async () => {
    const r = repo();
    const [first] = buildHistory(
      r,
      [
        { files: { "a.txt": "x\n" }, message: "first", date: "2020-01-01T00:00:00Z" },
        { files: { "b.txt": "y\n" }, message: "second", date: "2024-01-01T00:00:00Z" },
      ],
      { checkout: false },
    );
    const blob = r.gitWith(["hash-object", "-w", "--stdin"], { input: `rotated ${t3}\n` }).trim();
    r.gitWith(["notes", "add", "-C", blob, first], {});
    // A notes commit whose message names a secret (written by hand: `git notes` writes its own).
    const tree = r.git("rev-parse", "refs/notes/commits^{tree}").trim();
    const c = r.gitWith(["commit-tree", tree, "-m", `notes, with ${t2}`], {}).trim();
    r.git("update-ref", "refs/notes/commits", c);
    const out = await runIn(r.dir, ["history", "-f", "jsonl", "--since", "2023-01-01"]);
    expect(out.code, out.stderr).toBe(1);
    const note = lines(out.stdout).find((f) => f.source === "note")!;
    expect(note.message).toBe(`notes, with ${t2.slice(0, 4)}…`);
    expect(out.stdout).not.toContain(t2);
  });

  it("push: file findings of a commit whose message holds a secret", async () => {
    const r = repo();
    const [base] = buildHistory(
      r,
      [
        { files: { "README.md": "hello\n" }, message: "init", date: "2024-01-01T00:00:00Z" },
        { files: { "a.env": `GITHUB_TOKEN=${t1}\n` }, message: `add the token (was ${t2})`, date: "2024-01-02T00:00:00Z" },
      ],
      { checkout: false },
    );
    for (const format of ["json", "jsonl", "csv", "text"]) {
      const out = await runIn(r.dir, ["push", "-f", format, `${base}..HEAD`]);
      expect(out.code, out.stderr).toBe(1);
      for (const s of [t1, t2]) expect(out.stdout + out.stderr, format).not.toContain(s);
    }
  });
});
