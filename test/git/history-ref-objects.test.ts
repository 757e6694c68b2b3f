/**
 * Blobs and trees a ref names directly (`git tag keys <blob>`, an annotated
 * tag of a tree) are held by no commit, so the walk never met them, though
 * `git push --tags` sends them: history scans them, named after the ref.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scanHistory, scanInventory } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

describe("refs naming a blob or a tree", { timeout: 60_000 }, () => {
  it("are scanned: a lightweight tag of a blob, an annotated tag of a tree; a blob a commit holds too is reported once, at its commit", async () => {
    const r = new TestRepo();
    repos.push(r);
    const inCommit = githubToken(111);
    r.commitFiles({ "a.cfg": `token=${inCommit}\n` }, "init");
    const keyBlob = githubToken(112);
    const blob = r.gitWith(["hash-object", "-w", "--stdin"], { input: `token=${keyBlob}\n` }).trim();
    r.git("tag", "keys", blob);
    const treeKey = awsKeyId(113);
    const inner = r.gitWith(["hash-object", "-w", "--stdin"], { input: `AWS_ACCESS_KEY_ID=${treeKey}\n` }).trim();
    const tree = r.gitWith(["mktree"], { input: `100644 blob ${inner}\tprod.env\n` }).trim();
    r.git("tag", "-a", "snapshot", "-m", "snapshot", tree);
    // A tag of a tag of a blob (the inner tag deleted): the end of the chain is scanned.
    const nestedKey = githubToken(114);
    const nestedBlob = r.gitWith(["hash-object", "-w", "--stdin"], { input: `token=${nestedKey}\n` }).trim();
    r.git("tag", "-a", "inner", "-m", "inner", nestedBlob);
    r.git("-c", "advice.nestedTag=false", "tag", "-a", "outer", "-m", "outer", "inner");
    r.git("tag", "-d", "inner");
    // The committed blob tagged too: still one finding, at its commit.
    r.git("tag", "again", r.git("rev-parse", "HEAD:a.cfg").trim());
    const h = await scanHistory({ repo: r.dir });
    const got = h.findings.map((f) => [f.file, f.secret]).sort();
    expect(got).toEqual([["a.cfg", inCommit], ["refs/tags/keys", keyBlob], ["refs/tags/outer", nestedKey], ["refs/tags/snapshot:prod.env", treeKey]].sort());
    const snap = h.findings.find((f) => f.file === "refs/tags/snapshot:prod.env")!;
    expect(snap.commit).toBe(tree);
    expect(snap.author).toBe("Test Author"); // the tagger (GIT_TEST_ENV names the same person for both)
    // The inventory takes them as rows like any other.
    const inv = await scanInventory({ repo: r.dir });
    expect(inv.rows.length).toBe(4);
  });
});

describe("what a chain of tags sends, and a rename with a copy", { timeout: 60_000 }, () => {
  it("a tag of a tag: the inner tag's message is scanned too (git push sends it)", async () => {
    const r = new TestRepo();
    repos.push(r);
    r.commitFiles({ "a.txt": "a\n" }, "init");
    const key = awsKeyId(115);
    r.git("tag", "-a", "inner", "-m", `release notes; aws key ${key}`, "HEAD");
    r.git("-c", "advice.nestedTag=false", "tag", "-a", "outer", "-m", "outer", "inner");
    r.git("tag", "-d", "inner");
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => [f.source, f.secret])).toEqual([["tag-message", key]]);
  });

  it("a rename and a copy of the same file in one commit: the copy is a second place, reported", async () => {
    const r = new TestRepo();
    repos.push(r);
    const token = githubToken(116);
    r.commitFiles({ "a.cfg": `key = "${token}"\n` }, "c1");
    r.git("mv", "a.cfg", "b.cfg");
    r.write("c.cfg", `key = "${token}"\n`).add("c.cfg");
    r.commit("rename a to b, copy to c");
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => f.file).sort()).toEqual(["a.cfg", "c.cfg"]);
  });

  it("two identical files moved together are two renames (nothing new); a tag named by two refs and a chain counts once", async () => {
    const r = new TestRepo();
    repos.push(r);
    const key = awsKeyId(117);
    r.commitFiles({ "cfg/dev.cfg": `aws_access_key_id = ${key}\n`, "cfg/prod.cfg": `aws_access_key_id = ${key}\n` }, "c1");
    r.git("mv", "cfg", "conf");
    r.commit("move folder");
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => [f.file, f.message]).sort()).toEqual([["cfg/dev.cfg", "c1"], ["cfg/prod.cfg", "c1"]]);

    const t = new TestRepo();
    repos.push(t);
    t.commitFiles({ "a.txt": "a\n" }, "init");
    const tagKey = awsKeyId(118);
    t.git("tag", "-a", "inner", "-m", `release notes; aws key ${tagKey}`, "HEAD");
    t.git("-c", "advice.nestedTag=false", "tag", "-a", "outer", "-m", "outer", "inner");
    const inv = await scanInventory({ repo: t.dir });
    expect(inv.rows.map((x) => x.occurrences)).toEqual([1]);
  });
});
