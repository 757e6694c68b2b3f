/**
 * Read-only commands leave a repository exactly as they found it: index,
 * working tree, refs, config, hooks and reflogs byte-identical afterwards.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { awsKeyId, githubToken } from "../helpers/secrets.js";

/** Hash of every file under `dir` (paths, modes, bytes), skipping objects (content-addressed). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (r === ".git/objects") continue;
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs, r);
      else out[r] = `${st.mode.toString(8)}:${createHash("sha256").update(readFileSync(abs)).digest("hex")}`;
    }
  };
  walk(dir, "");
  return out;
}

describe("read-only commands change nothing", () => {
  let repo: TestRepo;
  let remote: TestRepo;
  beforeAll(() => {
    remote = new TestRepo({ bare: true });
    repo = new TestRepo();
    repo.commitFiles({ "a.env": `TOKEN=${githubToken(31)}\n`, "b.txt": "hello\n" }, "first", "2024-01-01T00:00:00Z");
    repo.commitFiles({ "c.env": `AWS_ACCESS_KEY_ID=${awsKeyId(32)}\n` }, "second", "2024-02-01T00:00:00Z");
    repo.git("remote", "add", "origin", remote.dir);
    repo.git("push", "-q", "origin", "main");
    repo.git("tag", "-a", "v1", "-m", "release");
    repo.commitFiles({ "d.txt": "local only\n" }, "third", "2024-03-01T00:00:00Z");
    // A staged change and an unstaged one, so index and work tree both hold state.
    repo.write("e.env", `KEY=${githubToken(33)}\n`).add("e.env");
    repo.write("b.txt", "hello, edited\n");
  });
  afterAll(() => {
    repo.remove();
    remote.remove();
  });

  const commands: string[][] = [
    ["scan", "."],
    ["scan", ".", "-f", "json"],
    ["staged"],
    ["staged", "--all-lines"],
    ["push", "origin/main..main"],
    ["history"],
    ["history", "-f", "sarif"],
    ["inventory", "-f", "json"],
    ["rules", "list"],
    ["rules", "test"],
    ["hook", "doctor"],
  ];
  for (const args of commands) {
    it(`leakguard ${args.join(" ")}`, async () => {
      const before = snapshot(repo.dir);
      const status = repo.git("status", "--porcelain=v2", "-z", "--branch");
      const r = await runIn(repo.dir, args);
      expect([0, 1], `${args.join(" ")}: ${r.stderr}`).toContain(r.code);
      expect(snapshot(repo.dir)).toEqual(before);
      expect(repo.git("status", "--porcelain=v2", "-z", "--branch")).toBe(status);
    });
  }
});
