/**
 * A history scan asks git each question once: the refs are listed by one
 * `for-each-ref` of cheap fields (names, types, ids, HEAD), and the annotated
 * tags' messages by a second one of `refs/tags` alone, only when there are
 * such tags (the inventory adds HEAD's branch to it, for its short name); the
 * repository facts by one `rev-parse`, and `rev-list --remotes` runs only when
 * there is a remote-tracking ref. Every git run forks the scanning process,
 * and small scans (the hook, the test suite) are mostly forks. Counted
 * structurally through GIT_TRACE.
 */
import { describe, expect, it } from "vitest";
import { scanHistory, type HistoryProgress } from "../../src/index.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { tracedTaggedRepo } from "../helpers/git-trace.js";

describe("history asks git each question once", { timeout: 120_000 }, () => {
  const suite = tracedTaggedRepo(91, (repo) => repo.git("notes", "add", "-m", `note ${githubToken(93)}`, "HEAD"));

  /** The git commands run by `history`. */
  const traced = async (): Promise<{ calls: string[]; out: string }> => {
    suite.trace.reset();
    const r = await runIn(suite.repo.dir, ["history", "-f", "json"]);
    expect(r.code, r.stderr).toBe(1);
    return { calls: suite.trace.commands(), out: r.stdout };
  };

  const count = (calls: string[], prefix: string): number => calls.filter((c) => c.startsWith(prefix)).length;

  /** The `for-each-ref` runs among `calls`: each one's format and the ref patterns after it. */
  const refListings = (calls: string[]): Array<{ format: string; patterns: string[] }> =>
    calls
      .filter((c) => c.startsWith("for-each-ref"))
      .map((c) => {
        const [before, after] = c.split(" -- ");
        return { format: before!, patterns: after ? after.split(" ") : [] };
      });

  it("lists refs once, reads repository facts once, and skips the remote walk without remotes", async () => {
    const { calls, out } = await traced();
    const listings = refListings(calls);
    expect(listings, calls.join("\n")).toHaveLength(2);
    // Every ref, with no field that makes git read a ref's object or look its short name up (3,890 refs: ~0.15 s of git's CPU with them, ~0.02 s without).
    expect(listings[0]!.patterns).toEqual([]);
    expect(listings[0]!.format).not.toMatch(/contents|tagger|refname:short|\*objectname/);
    // Then the annotated tag's message, asked of the tags alone.
    expect(listings[1]!.patterns).toEqual(["refs/tags"]);
    expect(count(calls, "rev-parse --path-format=absolute --git-dir"), calls.join("\n")).toBe(1);
    expect(count(calls, "rev-list --remotes"), calls.join("\n")).toBe(0);
    // A full clone: no promisor pack, so git is not asked whether this is a partial clone.
    expect(count(calls, "config"), calls.join("\n")).toBe(0);
    // What the one listing feeds is still scanned: the file, the tag message and the note.
    const sources = (JSON.parse(out) as { findings: Array<{ source?: string }> }).findings.map((f) => f.source ?? "file").sort();
    expect(sources).toEqual(["file", "note", "tag-message"]);
  });

  it("progress reports the walk's own commit count (no second walk to count them)", async () => {
    suite.trace.reset();
    const seen: HistoryProgress[] = [];
    await scanHistory({ repo: suite.repo.dir, onProgress: (p) => void seen.push(p) });
    expect(seen.at(-1)?.totalCommits).toBe(1);
    const calls = suite.trace.commands();
    expect(calls.filter((c) => c.startsWith("rev-list")).length, calls.join("\n")).toBe(2); // the salt's roots and the walk
    expect(calls.filter((c) => c.includes("--count")), calls.join("\n")).toEqual([]);
  });

  it("the inventory takes HEAD's branch from the same listings", async () => {
    suite.trace.reset();
    const r = await runIn(suite.repo.dir, ["inventory", "-f", "json"]);
    expect(r.code, r.stderr).toBe(1);
    const calls = suite.trace.commands();
    expect(calls.filter((c) => /^(symbolic-ref|rev-parse --verify)/.test(c)), calls.join("\n")).toEqual([]);
    // Its short name comes with the tags' messages.
    expect(refListings(calls).map((l) => l.patterns)).toEqual([[], ["refs/tags", "refs/heads/main"]]);
    expect((JSON.parse(r.stdout) as { head?: { ref: string; commit: string } }).head).toEqual({ ref: "main", commit: suite.repo.head() });
  });

  it("with a remote-tracking ref, walks it once and marks the commit pushed", async () => {
    suite.repo.git("update-ref", "refs/remotes/origin/main", "HEAD");
    const { calls, out } = await traced();
    expect(count(calls, "rev-list --remotes"), calls.join("\n")).toBe(1);
    const findings = (JSON.parse(out) as { findings: Array<{ source?: string; pushed?: boolean }> }).findings;
    expect(findings.find((f) => (f.source ?? "file") === "file")?.pushed).toBe(true);
    suite.repo.git("update-ref", "-d", "refs/remotes/origin/main");
  });

  it("without an annotated tag, lists the refs once", async () => {
    suite.repo.git("tag", "-d", "v1");
    suite.repo.git("tag", "v1-light");
    try {
      const { calls, out } = await traced();
      expect(refListings(calls), calls.join("\n")).toHaveLength(1);
      const sources = (JSON.parse(out) as { findings: Array<{ source?: string }> }).findings.map((f) => f.source ?? "file").sort();
      expect(sources).toEqual(["file", "note"]);
    } finally {
      suite.repo.git("tag", "-d", "v1-light");
      suite.repo.gitWith(["tag", "-a", "v1", "-m", `release ${githubToken(92)}`], {});
    }
  });

  it("a detached HEAD with no ref at all is still scanned", async () => {
    const head = suite.repo.head();
    suite.repo.git("checkout", "-q", "--detach", head);
    for (const ref of ["refs/heads/main", "refs/tags/v1", "refs/notes/commits"]) suite.repo.git("update-ref", "-d", ref);
    const { out } = await traced();
    const sources = (JSON.parse(out) as { findings: Array<{ source?: string }> }).findings.map((f) => f.source ?? "file");
    expect(sources).toEqual(["file"]);
    // No branch in the listing: the inventory asks git where HEAD is.
    const inv = await runIn(suite.repo.dir, ["inventory", "-f", "json"]);
    expect((JSON.parse(inv.stdout) as { head?: { ref: string; commit: string } }).head).toEqual({ ref: "HEAD", commit: head });
  });
});
