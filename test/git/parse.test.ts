/** Pure parsers of the git sources: raw diffs, pre-push input, commit messages; and the blob reader on real git. */
import { execFileSync, spawnSync } from "node:child_process";
import { realpathSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { BlobReader } from "../../src/git/blobs.js";
import { messageToScan } from "../../src/git/message.js";
import { parsePrePushInput } from "../../src/git/push.js";
import { parseDiffTreeZ, parseRawZ } from "../../src/git/rawdiff.js";
import { quickWorkTreeRoot } from "../../src/scans/staged.js";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(40);

describe("parseRawZ", () => {
  it("reads plain entries and renames with NUL-separated paths holding anything", () => {
    const out = `:100644 100644 ${A} ${B} M\0we ird\nname\0:100644 100644 ${A} ${B} R087\0old\0new\0:000000 120000 ${Z} ${B} A\0link\0`;
    expect(parseRawZ(out)).toEqual([
      { status: "M", oldMode: "100644", newMode: "100644", oldOid: A, newOid: B, path: "we ird\nname" },
      { status: "R", score: 87, oldMode: "100644", newMode: "100644", oldOid: A, newOid: B, path: "new", oldPath: "old" },
      { status: "A", oldMode: "000000", newMode: "120000", oldOid: Z, newOid: B, path: "link" },
    ]);
  });

  it("groups diff-tree --stdin output by commit, even when a path looks like a commit id", () => {
    const out = `${A}\0:000000 100644 ${Z} ${B} A\0${B}\0${B}\0:100644 000000 ${A} ${Z} D\0x\0`;
    const parsed = parseDiffTreeZ(out);
    expect(parsed.map((c) => [c.commit, c.changes.map((x) => x.path)])).toEqual([
      [A, [B]],
      [B, ["x"]],
    ]);
  });
});

describe("parsePrePushInput", () => {
  it("reads git's lines and rejects anything else", () => {
    expect(parsePrePushInput(`refs/heads/a ${A} refs/heads/a ${Z}\n\n`)).toEqual([
      { localRef: "refs/heads/a", localSha: A, remoteRef: "refs/heads/a", remoteSha: Z },
    ]);
    expect(() => parsePrePushInput("--exec=evil x y z\n")).toThrow(/pre-push input/);
  });
});

describe("messageToScan", () => {
  it("keeps comment lines (git records them unless it strips) and drops everything from the scissors line on", () => {
    expect(messageToScan("s\n; note\n# kept\n; ------------------------ >8 ------------------------\n; Do not modify\ndiff --git a/d b/d\n", ";")).toBe("s\n; note\n# kept");
    expect(messageToScan("subject\n# comment\n\nbody\n# ------------------------ >8 ------------------------\n# Do not modify or remove the line above.\n# Everything below it will be ignored.\ndiff --git a/x b/x\n")).toBe("subject\n# comment\n\nbody");
    // core.commentChar=auto: git chose ';' for this message (it has a line starting with '#').
    expect(messageToScan("#123 fix\n; ------------------------ >8 ------------------------\n; Do not modify or remove the line above.\ndiff --git a/x b/x\n-KEY=x\n", "auto")).toBe("#123 fix");
    // A pasted verbose buffer without git's notice below the scissors line (-F of a saved file): kept.
    expect(messageToScan("fix\n# ------------------------ >8 ------------------------\ndiff --git a/c b/c\n+KEY=x\n")).toContain("+KEY=x");
    // A look-alike line without the verbose diff below it: git keeps it and what follows (-m, -F).
    expect(messageToScan("fix\n# ------------------------ >8 ------------------------\nkey = x\n")).toBe("fix\n# ------------------------ >8 ------------------------\nkey = x");
  });
});

describe("BlobReader", () => {
  const r = new TestRepo();
  afterAll(() => r.remove());
  it("answers in order, skips blobs over the limit, and says what is missing", async () => {
    const small = r.gitWith(["hash-object", "-w", "--stdin"], { input: "small\n" }).trim();
    const big = r.gitWith(["hash-object", "-w", "--stdin"], { input: "x".repeat(200_000) }).trim();
    const reader = new BlobReader(r.dir);
    const answers = await Promise.all([reader.read(big, 1000), reader.read(small), reader.read("1".repeat(40)), reader.read(big)]);
    await reader.close();
    expect(answers[0]).toEqual({ kind: "too-large", size: 200_000 });
    expect(answers[1]).toEqual({ kind: "blob", type: "blob", data: Buffer.from("small\n") });
    expect(answers[2]).toEqual({ kind: "missing" });
    expect(answers[3].kind === "blob" && answers[3].data.length).toBe(200_000);
    // Every byte of a body is written (its buffer is not zero-filled first), and the buffer is its own (transferable to a worker).
    const data = answers[3].kind === "blob" ? answers[3].data : Buffer.alloc(0);
    expect(data.equals(Buffer.from("x".repeat(200_000)))).toBe(true);
    expect([data.byteOffset, data.buffer.byteLength]).toEqual([0, 200_000]);
  });

  it("never fetches from the promisor remote of a partial clone (staged, push and history share this reader)", async () => {
    const origin = new TestRepo();
    const clone = new TestRepo();
    try {
      origin.write("a.txt", "kept upstream\n").add("a.txt").commit("one");
      origin.git("config", "uploadpack.allowFilter", "true");
      origin.git("config", "uploadpack.allowAnySHA1InWant", "true");
      const oid = origin.git("rev-parse", "HEAD:a.txt").trim();
      rmSync(clone.dir, { recursive: true, force: true });
      execFileSync("git", ["clone", "-q", "--no-checkout", "--filter=blob:none", `file://${origin.dir}`, clone.dir], { env: GIT_TEST_ENV });
      // The promisor stays reachable: a reader that allowed lazy fetching would download the blob here.
      const reader = new BlobReader(clone.dir);
      // git answers "missing", or (git 2.39.4+ with lazy fetching refused) ends with a one-line error: never the content.
      const answer = await reader.read(oid).catch((e: unknown) => e);
      await reader.close();
      if (answer instanceof Error) expect(answer.message).toMatch(/promisor|missing/);
      else expect(answer).toEqual({ kind: "missing" });
      // Nothing was fetched into the clone either.
      const probe = spawnSync("git", ["cat-file", "-e", oid], { cwd: clone.dir, env: { ...GIT_TEST_ENV, GIT_NO_LAZY_FETCH: "1" } });
      expect(probe.status).not.toBe(0);
    } finally {
      origin.remove();
      clone.remove();
    }
  });
});

describe("quickWorkTreeRoot", () => {
  const r = new TestRepo();
  afterAll(() => r.remove());
  it("finds the root like git does, and defers to git for git dirs and GIT_* overrides", () => {
    r.write("a/b/c.txt", "x\n");
    const top = r.git("rev-parse", "--show-toplevel").trim();
    expect(quickWorkTreeRoot(`${r.dir}/a/b`, {})).toBe(r.dir);
    expect(realpathSync(quickWorkTreeRoot(`${r.dir}/a/b`, {})!)).toBe(realpathSync(top));
    expect(quickWorkTreeRoot(`${r.dir}/.git/objects`, {})).toBeUndefined();
    expect(quickWorkTreeRoot(r.dir, { GIT_DIR: `${r.dir}/.git` })).toBeUndefined();
  });
});
