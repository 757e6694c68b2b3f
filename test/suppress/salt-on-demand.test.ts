/**
 * The fingerprint salt is decided once, and the repository's root commit (a
 * walk over the whole history) is asked for only when a fingerprint is
 * needed: a clean `leakguard staged` (the pre-commit hook) never runs it,
 * with or without LEAKGUARD_FINGERPRINT_KEY (issue 14). Git's own trace
 * (GIT_TRACE) lists every git command run, so the test counts the walk
 * structurally, not by timing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/git-repo.js";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { GitTrace } from "../helpers/git-trace.js";
import { removeTempFolders } from "../helpers/temp-folder.js";

const KEY = { LEAKGUARD_FINGERPRINT_KEY: "k3y-for-the-salt-test" };
const NO_KEY = { LEAKGUARD_FINGERPRINT_KEY: "" };

describe("the root commit is asked for only when a fingerprint is needed", { timeout: 120_000 }, () => {
  let repo: TestRepo;
  let trace: GitTrace;
  beforeAll(() => {
    repo = new TestRepo();
    repo.write("README.md", "hello\n").add("README.md").commit("first");
    repo.write("app.js", "console.log(1)\n").add("app.js").commit("second");
    trace = new GitTrace();
  });
  afterEach(() => trace.reset());
  afterAll(() => {
    trace.stop();
    repo.remove();
    removeTempFolders();
  });

  /** How many times git was asked for the root commits since the last reset. */
  const rootWalks = (): number => trace.commands().filter((c) => c.startsWith("rev-list") && c.includes("--max-parents=0")).length;

  it("a clean staged run, with the key set and with an ignore file present, does not walk to the root commit", async () => {
    repo.write(".leakguardignore", "# nothing yet\n").add(".leakguardignore");
    repo.write("app.js", "console.log(2)\n").add("app.js");
    for (const env of [KEY, NO_KEY]) {
      trace.reset();
      const r = await runIn(repo.dir, ["staged"], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(rootWalks()).toBe(0);
    }
  });

  it("a clean staged run with --baseline does not walk to the root commit either (nothing found, nothing to mismatch)", async () => {
    repo.write("app.js", "console.log(4)\n").add("app.js");
    repo.write("base.json", '{"version":1,"tool":"leakguard","entries":[]}\n');
    trace.reset();
    const r = await runIn(repo.dir, ["staged", "--baseline", "base.json"], { env: NO_KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(rootWalks()).toBe(0);
    repo.git("rm", "-q", "--cached", "app.js");
  });

  it("a staged finding without key or config salt gets the root commit's salt (asked once), as history gives it", async () => {
    repo.write("app.js", `const token = "${githubToken(71)}";\n`).add("app.js");
    const staged = await runIn(repo.dir, ["staged", "--format", "json"], { env: NO_KEY });
    expect(staged.code).toBe(1);
    // The positive control: the trace does see the walk when a fingerprint is needed.
    expect(rootWalks()).toBe(1);
    const fp = (JSON.parse(staged.stdout) as { findings: Array<{ fingerprint: string }> }).findings[0]!.fingerprint;
    repo.commit("token");
    const history = await runIn(repo.dir, ["history", "--format", "json", "--no-progress"], { env: NO_KEY });
    expect((JSON.parse(history.stdout) as { findings: Array<{ fingerprint: string }> }).findings.map((f) => f.fingerprint)).toContain(fp);
  });

  it("a clean scan of the working tree does not walk to the root commit either", async () => {
    repo.write("app.js", "console.log(3)\n");
    repo.git("rm", "-q", "--cached", "app.js");
    repo.git("rm", "-q", "--cached", "--ignore-unmatch", ".leakguardignore");
    const r = await runIn(repo.dir, ["scan", "README.md", "--no-progress"], { env: NO_KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(rootWalks()).toBe(0);
  });
});
