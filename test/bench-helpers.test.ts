/**
 * Smoke test of `npm run bench`'s helpers, not of speed (no figure is
 * measured or asserted): the ripgrep floor's 20 patterns compile and match
 * their samples, in JavaScript and, when ripgrep is installed, in ripgrep; the
 * ratios print as the README quotes them; BENCH_REPO entries get names that
 * are not paths; printed text loses the machine's paths.
 */
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { findTool, fmt, redactPaths } from "../bench/lib.mjs";
import { parseRepoList } from "../bench/repos.mjs";
import { ripgrepArgs, SECRET_PATTERNS } from "../bench/secret-patterns.mjs";
import { removeTempFolders, tempFolder } from "./helpers/temp-folder.js";

interface Pattern {
  name: string;
  source: string;
  ignoreCase: boolean;
  sample: () => string;
}
const patterns = SECRET_PATTERNS as Pattern[];

afterAll(removeTempFolders);

describe("bench: the ripgrep floor's patterns", () => {
  it("are 20 distinct patterns, each compiling and matching its sample and not ordinary code", () => {
    expect(patterns).toHaveLength(20);
    expect(new Set(patterns.map((p) => p.name)).size).toBe(20);
    for (const p of patterns) {
      const re = new RegExp(p.source, p.ignoreCase ? "i" : "");
      expect(re.test(`x = ${p.sample()};`), p.name).toBe(true);
      expect(re.test("const port = Number(process.env.PORT ?? 3000);"), p.name).toBe(false);
    }
  });

  it.skipIf(!findTool("rg"))("run in ripgrep, which finds every sample in its own file", () => {
    const files = Object.fromEntries(patterns.map((p, i) => [`s${i}.txt`, `value: ${p.sample()}\n`]));
    files["plain.txt"] = "nothing to see here\n";
    // Non-ASCII text, as in git/git's po/ files: ASCII matching (--no-unicode) keeps ripgrep on its fast path.
    files["po.txt"] = "msgstr \"Übersetzung für ‘%s’\"\n";
    expect(ripgrepArgs()).toContain("--no-unicode");
    const dir = tempFolder(files, "lg-bench-rg-");
    const r = spawnSync(findTool("rg") as string, ripgrepArgs(), { cwd: dir, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n").sort()).toEqual(patterns.map((_, i) => `./s${i}.txt:1`).sort());
  });
});

describe("bench: formatting and names", () => {
  it("prints ratios to the floor and start-up over node's", () => {
    expect(fmt.ratio(789, 100)).toBe("7.89×");
    expect(fmt.ratio(100, 100)).toBe("1.00×");
    expect(fmt.overNode(279.4, 117)).toBe("node + 162 ms");
    expect(fmt.overNode(110, 117)).toBe("node − 7 ms");
    expect(fmt.ms(4340)).toBe("4.34 s");
    expect(fmt.ms(103_500)).toBe("103.5 s");
  });

  it("names BENCH_REPO entries by folder, never by path", () => {
    expect(parseRepoList("/srv/a/git.git, /srv/b/express.git").map((r: { name: string }) => r.name)).toEqual(["git", "express"]);
    expect(parseRepoList("/srv/one/repo,/srv/two/repo").map((r: { name: string }) => r.name)).toEqual(["one/repo", "two/repo"]);
    expect(parseRepoList("/srv/work/.git").map((r: { name: string }) => r.name)).toEqual(["work"]);
    expect(parseRepoList("git=/srv/mirror/repo")).toEqual([{ name: "git", path: "/srv/mirror/repo" }]);
    expect(parseRepoList("")).toEqual([]);
    expect(parseRepoList(undefined)).toEqual([]);
  });

  it("replaces the machine's paths in printed text, longest first", () => {
    const text = "failed: /srv/lg/bin/leakguard.js in /srv/lg/bench/.work and /tmp/lg-bench-x";
    expect(redactPaths(text, [["/srv/lg", "<leakguard>"], ["/srv/lg/bench/.work", "<work>"], ["/tmp/", "<tmp>"]])).toBe(
      "failed: <leakguard>/bin/leakguard.js in <work> and <tmp>/lg-bench-x",
    );
  });
});
