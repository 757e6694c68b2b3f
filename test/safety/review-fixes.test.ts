/**
 * Defects a review of the day's fixes found: a skipped file's path holding a
 * known secret, `inventory --fail-on-unscanned`, a `--cache` path under a
 * file, and the bytes `scan -` counts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** A repository with a 1 KB size limit, a key in a.txt and a too-large file named after it. */
function dumpNamedAfterKey(): { r: TestRepo; key: string } {
  const r = new TestRepo();
  repos.push(r);
  const key = awsKeyId(131);
  r.commitFiles({ ".leakguard.toml": '[scan]\nmaxFileSize = "1KB"\n', "a.txt": `aws_access_key_id = ${key}\n`, [`dump-${key}.txt`]: "x = 1\n".repeat(400) }, "add");
  return { r, key };
}

describe("fixes from the review", { timeout: 60_000 }, () => {
  it("a skipped file named after a known key: redacted in every scan format, on --quiet's stderr and in the inventory", async () => {
    const { r, key } = dumpNamedAfterKey();
    for (const format of ["text", "json", "sarif", "junit", "csv", "github"]) {
      const res = await runIn(r.dir, ["scan", ".", "--format", format]);
      expect(res.stdout.includes(key) || res.stderr.includes(key), format).toBe(false);
    }
    const quiet = await runIn(r.dir, ["scan", ".", "--quiet"]);
    expect(quiet.stderr).toMatch(/leakguard: warning: dump-AKIA…\.txt/);
    for (const format of ["json", "markdown", "html", "text"]) {
      const inv = await runIn(r.dir, ["inventory", "--format", format]);
      expect(inv.stdout.includes(key) || inv.stderr.includes(key), `inventory ${format}`).toBe(false);
    }
  });

  it("inventory --fail-on-unscanned fails on a text left unscanned, as history does", async () => {
    const { r } = dumpNamedAfterKey();
    r.git("rm", "-q", "a.txt");
    r.commit("no key");
    expect((await runIn(r.dir, ["inventory", "--exit-code", "0"])).code).toBe(0);
    const res = await runIn(r.dir, ["inventory", "--exit-code", "0", "--fail-on-unscanned"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/not scanned to the end \(--fail-on-unscanned\)/);
  });

  it("--cache under a file: exit 2 with one line, not an internal error", async () => {
    const { r } = dumpNamedAfterKey();
    writeFileSync(join(r.dir, ".git", "afile"), "x");
    const res = await runIn(r.dir, ["history", "--cache", join(r.dir, ".git", "afile", "sub")]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--cache .*: not a folder/);
    expect(res.stderr).not.toMatch(/internal error/);
  });

  it("scan - counts the bytes it read", async () => {
    const r = new TestRepo();
    repos.push(r);
    const res = await runIn(r.dir, ["scan", "-"], { input: "hello\n" });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/1 file, 6 B/);
  });
});
