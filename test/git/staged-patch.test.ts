/**
 * The staged scan takes blob contents from its one `diff-index -p` (whole-file
 * context; git/patch-blobs.ts) and reads only the rest with cat-file: a clean
 * commit of text files costs one git process. Every blob the patch gives must
 * be the blob git stores, byte for byte, whatever the file holds (no final
 * newline, CRLF, lines that look like patch syntax, blank lines under
 * diff.suppressBlankEmpty, GIT_DIFF_OPTS in the environment); what it does not
 * show whole (binary, UTF-16, over 1 MiB, -diff) comes from cat-file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { chmodSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { GIT_TEST_ENV, TestRepo } from "../helpers/git-repo.js";
import { GitTrace } from "../helpers/git-trace.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { removeTempFolders } from "../helpers/temp-folder.js";
import { diffIndex, prepareStaged } from "../../src/scans/staged.js";
import { blobsFromPatch, splitRawAndPatch } from "../../src/git/patch-blobs.js";
import { isNullOid } from "../../src/git/oid.js";

const BEFORE: Record<string, string | Buffer> = {
  "eol/gains.txt": "one\ntwo",
  "eol/loses.txt": "one\ntwo\n",
  "eol/neither.txt": "a\nb\nc",
  "crlf.txt": "a\r\nb\r\nc\r\n",
  "emptied.txt": "gone soon\n",
  "fills.txt": "",
  "looks-like-a-patch.txt": "diff --git a/x b/x\n@@ -1 +1 @@\n",
  "blank.txt": "x\n\n\ny\n",
  "renamed-from.txt": "r\n".repeat(40),
  "mode.sh": "echo hi\n",
  "code.c": "int main(void)\n{\n  return 0;\n}\n",
  "deleted.txt": "bye\n",
};
const AFTER: Record<string, string | Buffer> = {
  "eol/gains.txt": "one\ntwo\nthree\n",
  "eol/loses.txt": "one\ntwo\nthree",
  "eol/neither.txt": "a\nB\nc",
  "crlf.txt": "a\r\nB\r\nc\r\n",
  "emptied.txt": "",
  "fills.txt": "now\n",
  "looks-like-a-patch.txt": "diff --git a/x b/x\n@@ -1 +1 @@\n\\ No newline at end of file\n+++ b/y\n--- a/y\nindex 0000000..1111111\n-\n+\n \n",
  "blank.txt": "x\n\n\ny\n\nz\n",
  "renamed-to.txt": "r\n".repeat(40) + "s\n",
  "code.c": "int main(void)\n{\n  return 1;\n}\n",
  "new/added.txt": "fresh\n",
  "new/empty.txt": "",
  "binary.dat": Buffer.from([0, 1, 2, 0, 10, 255]),
  "utf16.txt": Buffer.from("\ufeffkey = value\n", "utf16le"),
  "big.txt": "0123456789abcdef\n".repeat(70_000),
  "opaque.txt": "text, but -diff\n",
};

let repo: TestRepo;
let trace: GitTrace;

beforeAll(() => {
  repo = new TestRepo();
  repo.write(".gitattributes", "opaque.txt -diff\n*.c diff=cpp\n");
  for (const [p, c] of Object.entries(BEFORE)) repo.write(p, c);
  repo.add();
  repo.commit("before");
  for (const p of ["renamed-from.txt", "deleted.txt"]) rmSync(join(repo.dir, p));
  for (const [p, c] of Object.entries(AFTER)) repo.write(p, c);
  chmodSync(join(repo.dir, "mode.sh"), 0o755);
  symlinkSync("code.c", join(repo.dir, "link"));
  repo.add();
  repo.git("config", "diff.suppressBlankEmpty", "true");
  trace = new GitTrace();
});
afterAll(() => {
  trace.stop();
  repo.remove();
  removeTempFolders();
});

/** The stored blobs, byte for byte, by id (one cat-file run). */
function storedBlobs(oids: readonly string[]): Map<string, Buffer> {
  const out = execFileSync("git", ["cat-file", "--batch"], { cwd: repo.dir, env: GIT_TEST_ENV, input: oids.join("\n") + "\n", maxBuffer: 1 << 26 });
  const blobs = new Map<string, Buffer>();
  for (let at = 0; at < out.length; ) {
    const nl = out.indexOf(10, at);
    const [oid, , size] = out.toString("latin1", at, nl).split(" ");
    blobs.set(oid!, out.subarray(nl + 1, nl + 1 + Number(size)));
    at = nl + 1 + Number(size) + 1;
  }
  return blobs;
}

describe("the staged diff's patch", () => {
  it("gives every text blob of the change byte for byte, and nothing it does not show whole", async () => {
    // GIT_DIFF_OPTS would cut the context short: the staged scan runs git without it.
    const env = { GIT_DIFF_OPTS: "--unified=1" };
    const diff = (await diffIndex(repo.dir, "HEAD", env, false))!;
    const state = await prepareStaged(repo.dir, { env });
    const oidOf = (path: string, side: "old" | "new"): string => {
      const c = state.changes.find((x) => x.path === path || (side === "old" && x.oldPath === path))!;
      return side === "old" ? c.oldOid : c.newOid;
    };
    const stored = storedBlobs(state.changes.flatMap((c) => [c.oldOid, c.newOid]).filter((o) => !isNullOid(o)));
    const taken = [...diff.blobs.keys()];
    for (const [oid, data] of diff.blobs) expect(data.equals(stored.get(oid)!), oid).toBe(true);
    const text = ["eol/gains.txt", "eol/loses.txt", "eol/neither.txt", "crlf.txt", "looks-like-a-patch.txt", "blank.txt", "renamed-to.txt", "code.c"];
    for (const p of text) expect(taken, p).toEqual(expect.arrayContaining([oidOf(p, "old"), oidOf(p, "new")]));
    for (const p of ["fills.txt", "new/added.txt", "new/empty.txt", "link"]) expect(taken, p).toContain(oidOf(p, "new"));
    expect(taken).toContain(oidOf("emptied.txt", "old"));
    for (const p of ["binary.dat", "utf16.txt", "big.txt", "opaque.txt"]) expect(taken, p).not.toContain(oidOf(p, "new"));
    try {
      const paths = state.changes.map((c) => c.path).sort();
      expect(paths).toContain("renamed-to.txt");
      const shown: string[] = [];
      for (const c of state.changes) {
        for (const oid of [c.oldOid, c.newOid]) {
          if (isNullOid(oid)) continue;
          const r = await state.blobs!.read(oid);
          expect(r.kind, c.path).toBe("blob");
          if (r.kind === "blob") expect(r.data.equals(stored.get(oid)!), `${c.path} ${oid}`).toBe(true);
        }
        shown.push(c.path);
      }
      expect(shown.length).toBe(state.changes.length);
    } finally {
      await state.blobs?.close();
    }
  });
});

describe("a staged diff past its output budget", () => {
  it("gives the same changes and no blob (they are read from git instead)", async () => {
    const whole = (await diffIndex(repo.dir, "HEAD", undefined, false))!;
    const cut = (await diffIndex(repo.dir, "HEAD", undefined, false, 1024))!;
    expect(cut.raw).toBe(whole.raw);
    expect(cut.blobs.size).toBe(0);
  });
});

describe("splitRawAndPatch and blobsFromPatch", () => {
  it("split raw records (renames have two paths) from the patch after them", () => {
    const raw = ":100644 100644 " + "a".repeat(40) + " " + "b".repeat(40) + " R090\0old\0new\0:000000 100644 " + "0".repeat(40) + " " + "c".repeat(40) + " A\0x\0";
    const patch = "diff --git a/x b/x\nnew file mode 100644\nindex " + "0".repeat(40) + ".." + "c".repeat(40) + "\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+hi\n";
    const split = splitRawAndPatch(Buffer.from(raw + "\0" + patch));
    expect(split.raw).toBe(raw);
    expect(split.patch?.toString()).toBe(patch);
    expect([...blobsFromPatch(split.patch!)].map(([k, v]) => [k, v.toString()])).toEqual([["c".repeat(40), "hi\n"]]);
    expect(splitRawAndPatch(Buffer.from(raw))).toEqual({ raw, patch: undefined });
  });

  it("take nothing from a hunk that does not cover its whole file, or from a hunk cut short", () => {
    const head = "diff --git a/x b/x\nindex " + "a".repeat(40) + ".." + "b".repeat(40) + " 100644\n--- a/x\n+++ b/x\n";
    expect(blobsFromPatch(Buffer.from(head + "@@ -3,2 +3,2 @@\n c\n-d\n+D\n")).size).toBe(0);
    expect(blobsFromPatch(Buffer.from(head + "@@ -1,2 +1,2 @@\n c\n-d\n@@ -9 +9 @@\n-x\n+y\n")).size).toBe(0);
    expect(blobsFromPatch(Buffer.from(head + "@@ -1,3 +1,3 @@\n c\n-d\n+D\n")).size).toBe(0);
    expect([...blobsFromPatch(Buffer.from(head + "@@ -1,2 +1,2 @@\n c\n-d\n\\ No newline at end of file\n+D\n")).values()].map(String)).toEqual(["c\nd", "c\nD\n"]);
  });
});

describe("a staged scan's git processes", () => {
  it("is one diff-index for a change of text files; cat-file only for blobs the patch does not show", async () => {
    const clean = new TestRepo();
    try {
      clean.commitFiles({ "a.txt": "a\n", "b.txt": "b\n" }, "init");
      clean.write("a.txt", "a\nmore\n").write("c.txt", "new\n").add();
      trace.reset();
      const r = await runIn(clean.dir, ["staged", "-f", "json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(trace.commands().map((c) => c.split(" ").find((w) => !w.startsWith("-") && !w.includes("=")))).toEqual(["diff-index"]);

      clean.write("bin.dat", Buffer.from([0, 1, 2])).write("key.txt", `token = "${githubToken(3)}"\n`).add();
      trace.reset();
      const found = await runIn(clean.dir, ["staged", "-f", "json"]);
      expect(found.code).toBe(1);
      const names = trace.commands().map((c) => c.split(" ").find((w) => !w.startsWith("-") && !w.includes("=")));
      expect(names.filter((n) => n === "diff-index" || n === "cat-file")).toEqual(["diff-index", "cat-file"]);
    } finally {
      clean.remove();
    }
  });

  it("starts from the work tree root its caller found (the hook looks once): none found asks git first, the same changes either way", async () => {
    const commands = async (opts: Parameters<typeof prepareStaged>[1]) => {
      trace.reset();
      const state = await prepareStaged(repo.dir, opts);
      await state.blobs?.close();
      const names = trace.commands().map((c) => c.split(" ").find((w) => !w.startsWith("-") && !w.includes("=")));
      return { names, repo: state.repo, changes: state.changes };
    };
    const own = await commands({});
    const given = await commands({ quickRoot: repo.dir });
    const none = await commands({ quickRoot: undefined });
    expect(own.names).toEqual(["diff-index"]);
    expect(given.names).toEqual(["diff-index"]);
    expect(none.names).toEqual(["rev-parse", "diff-index"]);
    expect(given.changes.length).toBeGreaterThan(5);
    for (const r of [given, none]) expect([r.repo.root, r.changes]).toEqual([own.repo.root, own.changes]);
  });
});
