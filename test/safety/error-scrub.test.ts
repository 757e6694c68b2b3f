/**
 * Error messages that quote what a user wrote into a file (an ignore-file
 * line, a config value, a baseline, a ref name in git's stderr) print no
 * token whole: a secret pasted there by mistake would reach a CI log.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, randomToken } from "../helpers/secrets.js";

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  r.commitFiles({ "a.txt": "x=1\n" }, "init");
  return r;
}

describe("errors that quote a file", () => {
  const token = `sk_live_${randomToken(24, 71)}`;

  it("an ignore-file line, a config value and a baseline's version: exit 2, one line, the token cut short", async () => {
    const cases: Array<[string, string, string[]]> = [
      [".leakguardignore", `${token}   # rotated\n`, ["scan", "a.txt"]],
      [".leakguard.toml", `[[rules]]\nid = "x"\nregex = "abc"\nseverity = "${token}"\n`, ["scan", "a.txt"]],
      ["bl.json", JSON.stringify({ version: token, entries: [] }), ["scan", "a.txt", "--baseline", "bl.json"]],
    ];
    for (const [file, content, argv] of cases) {
      const r = repo();
      writeFileSync(join(r.dir, file), content);
      const res = await runIn(r.dir, argv);
      expect(res.code, file).toBe(2);
      expect(res.stderr.trim().split("\n"), file).toHaveLength(1);
      expect(res.stderr.includes(token), `${file}: ${res.stderr}`).toBe(false);
      expect(res.stderr, file).toContain(token.slice(0, 4));
    }
  });

  it("git's stderr naming a broken ref called after a key", async () => {
    const r = repo();
    const key = awsKeyId(72);
    writeFileSync(join(r.dir, ".git", "refs", "heads", key), "1111111111111111111111111111111111111111\n");
    const res = await runIn(r.dir, ["history"]);
    expect(res.stderr.includes(key), res.stderr).toBe(false);
  });
});
