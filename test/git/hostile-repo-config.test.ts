/**
 * What a repository can set up to change what git shows leakguard: replace
 * refs and an info/grafts file (substitute objects: a secret in a replaced
 * commit was invisible to history and push, though a push sends the real
 * one), a core.fsmonitor command (run by reads of the index), and
 * i18n.logOutputEncoding (authors and messages re-encoded). leakguard reads
 * the real objects, runs no such command, and reads UTF-8.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scanHistory, scanPush } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

/** init, a commit adding a secret, one removing it: returns the secret and the adding commit. */
function leakAndRemove(r: TestRepo, seed: number): { token: string; bad: string } {
  const token = githubToken(seed);
  r.commitFiles({ "a.txt": "a\n" }, "init");
  r.commitFiles({ "app.cfg": `token=${token}\n` }, "add config");
  const bad = r.git("rev-parse", "HEAD").trim();
  r.git("rm", "-q", "app.cfg");
  r.commit("remove config");
  return { token, bad };
}

describe("a repository set up to change what git shows", { timeout: 60_000 }, () => {
  it("a replace ref hiding the commit that added a secret: history and push still find it, at that commit", async () => {
    const r = repo();
    const { token, bad } = leakAndRemove(r, 91);
    const tree = r.git("rev-parse", `${bad}~1^{tree}`).trim();
    const fake = r.git("commit-tree", tree, "-p", `${bad}~1`, "-m", "add config").trim();
    r.git("replace", bad, fake);
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => [f.secret, f.commit])).toEqual([[token, bad]]);
    const p = await scanPush({ cwd: r.dir, range: "HEAD" });
    expect(p.findings.map((f) => f.commit)).toEqual([bad]);
  });

  it("an info/grafts file cutting the history off: the cut-off commits are still walked", async () => {
    const r = repo();
    const { token } = leakAndRemove(r, 92);
    writeFileSync(join(r.dir, ".git", "info", "grafts"), r.git("rev-parse", "HEAD"));
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => f.secret)).toEqual([token]);
  });

  it("a core.fsmonitor command is not run, and i18n.logOutputEncoding does not garble an author", async () => {
    const r = repo();
    r.commitFiles({ "a.txt": "a\n" }, "init");
    r.git("-c", "user.name=Zoë Ünal", "commit", "-q", "--allow-empty", "-m", "añadir configuración");
    r.commitFiles({ "app.cfg": `token=${githubToken(93)}\n` }, "add config");
    r.git("commit", "-q", "--amend", "--no-edit", "--author", "Zoë Ünal <z@example.test>");
    const ran = join(r.dir, "..", `fsmonitor-ran-${process.pid}`);
    r.git("config", "core.fsmonitor", `echo ran >> '${ran}'; false`);
    r.git("config", "i18n.logOutputEncoding", "ISO-8859-1");
    const h = await scanHistory({ repo: r.dir });
    expect(h.findings.map((f) => f.author)).toEqual(["Zoë Ünal"]);
    expect(existsSync(ran)).toBe(false);
  });
});
