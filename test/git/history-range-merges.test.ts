/**
 * A walk that leaves ancestors out (`--range`) used to diff a
 * merge against its first parent only, so a merge seemed to add everything
 * its other parent brought, and got the blame for a secret that was older
 * than the selection (a colleague's, already on origin/main, after a pull).
 * There a merge counts only what none of its parents had.
 */
import { afterEach, describe, expect, it } from "vitest";
import { scanHistory } from "../../src/index.js";
import { TestRepo } from "../helpers/git-repo.js";
import { commitAs } from "../helpers/history-fixture.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** main: init; side: Bob's leak (2024-01-02); main: Alice's work (01-03); main: merge of side (01-04), resolving in an evil line when asked. */
function pulled(evil?: string): { r: TestRepo; base: string } {
  const r = new TestRepo();
  repos.push(r);
  r.write("a.txt", "a\n").add();
  commitAs(r, "init", "2024-01-01T00:00:00Z");
  const base = r.git("rev-parse", "HEAD").trim();
  r.git("checkout", "-q", "-b", "side");
  r.write("bob.cfg", `token=${githubToken(121)}\n`).add();
  commitAs(r, "bob's leak", "2024-01-02T00:00:00Z", "Bob");
  r.git("checkout", "-q", "main");
  r.write("mine.txt", "mine\n").add();
  commitAs(r, "my work", "2024-01-03T00:00:00Z", "Alice");
  r.git("merge", "-q", "--no-commit", "--no-ff", "side");
  if (evil !== undefined) r.write("resolved.env", `AWS_ACCESS_KEY_ID=${evil}\n`).add();
  commitAs(r, "merge side", "2024-01-04T00:00:00Z", "Alice");
  return { r, base };
}

describe("merges in a walk that leaves ancestors out", { timeout: 60_000 }, () => {
  it("--range: the other parent's older secret is not blamed on the merge; --since still reports it (at the merge: nothing else would)", async () => {
    const { r } = pulled();
    const side = r.git("rev-parse", "side").trim();
    expect((await scanHistory({ repo: r.dir, range: `${side}..main` })).findings).toEqual([]);
    // A branch older than the date, merged after it: the merge brings the secret in, and is where it shows.
    expect((await scanHistory({ repo: r.dir, since: "2024-01-03T00:00:00Z" })).findings.map((f) => f.file)).toEqual(["bob.cfg"]);
    // The whole history still reports it, at Bob's commit.
    const all = await scanHistory({ repo: r.dir });
    expect(all.findings.map((f) => [f.file, f.author])).toEqual([["bob.cfg", "Bob"]]);
  });

  it("what the merge itself wrote (in no parent) is still reported, at the merge", async () => {
    const key = awsKeyId(122);
    const { r } = pulled(key);
    const side = r.git("rev-parse", "side").trim();
    const f = (await scanHistory({ repo: r.dir, range: `${side}..main` })).findings;
    expect(f.map((x) => [x.file, x.secret, x.message])).toEqual([["resolved.env", key, "merge side"]]);
  });
});
