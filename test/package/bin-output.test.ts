/**
 * `--output` through bin/leakguard.js, the program users run: it runs the
 * bundled CLI as a vm.Script, where a module loaded with import() from
 * outside the bundle fails (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), which
 * in-process tests of dist/ cannot show. A device or a FIFO is written
 * straight through; a regular file atomically. Child processes of the real bin.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { GIT_TEST_ENV } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

const BIN = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));

afterAll(() => removeTempFolders());

interface Findings {
  findings: Array<{ ruleId: string }>;
}

describe.skipIf(process.platform === "win32")("bin/leakguard.js --output", { timeout: 60_000 }, () => {
  const tree = (): string => tempFolder({ "config.js": `const token = "${githubToken(11)}";\n` }, "lg-bin-output-");

  it.each(["scan", "history"])("%s writes its report to /dev/null and to /dev/stdout, and exits 1 for the finding", (command) => {
    const dir = tree();
    if (command === "history") {
      for (const args of [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "x"]]) {
        // Not the user's git config (a global commit.gpgsign or hooksPath would fail the commit).
        expect(spawnSync("git", args, { cwd: dir, env: GIT_TEST_ENV }).status).toBe(0);
      }
    }
    const toNull = spawnSync(process.execPath, [BIN, command, ".", "-f", "json", "-o", "/dev/null"], { cwd: dir, encoding: "utf8" });
    expect(toNull.stderr).toBe("");
    expect(toNull.status).toBe(1);
    // Into a shell's pipe, as in `leakguard scan -o /dev/stdout | jq`: /dev/stdout is /proc/self/fd/1, a
    // link to "pipe:[…]". (A child's stdout from node's spawn is a socket, which no open() reaches.)
    const shell = '( "$0" "$1" "$2" . -f json -o /dev/stdout; echo "exit $?" >&2 ) | cat';
    const toStdout = spawnSync("sh", ["-c", shell, process.execPath, BIN, command], { cwd: dir, encoding: "utf8" });
    expect(toStdout.stderr).toBe("exit 1\n");
    expect((JSON.parse(toStdout.stdout) as Findings).findings.map((f) => f.ruleId)).toContain("github-pat");
  });

  it("writes through a FIFO to its reader, and atomically to a regular file", async () => {
    const dir = tree();
    const fifo = join(tempFolder({}, "lg-bin-fifo-"), "report.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (c: Buffer) => (read += c.toString()));
    const closed = new Promise((resolve) => reader.on("close", resolve));
    const viaFifo = spawnSync(process.execPath, [BIN, "scan", ".", "-f", "json", "-o", fifo], { cwd: dir, encoding: "utf8" });
    if (viaFifo.status !== 1) reader.kill(); // it never opened the FIFO: the reader would wait for a writer
    await closed;
    expect(viaFifo.stderr).toBe("");
    expect(viaFifo.status).toBe(1);
    expect((JSON.parse(read) as Findings).findings.map((f) => f.ruleId)).toContain("github-pat");
    const file = join(dir, "report.json");
    const viaFile = spawnSync(process.execPath, [BIN, "scan", "config.js", "-f", "json", "-o", file], { cwd: dir, encoding: "utf8" });
    expect(viaFile.status).toBe(1);
    expect((JSON.parse(readFileSync(file, "utf8")) as Findings).findings.map((f) => f.ruleId)).toContain("github-pat");
  });
});

describe.skipIf(!existsSync("/dev/full"))("bin/leakguard.js when stdout cannot take the report", { timeout: 60_000 }, () => {
  // /dev/full fails every write with ENOSPC, as a full disk does: the report is lost, which exit 0
  // (clean) or 1 (findings) would hide. A closed pipe (EPIPE: `| head`) still ends quietly.
  it.each([
    ["a clean folder", {}],
    ["a finding", { "config.js": `const token = "${githubToken(12)}";\n` }],
  ])("says so and exits 2, for %s", (_name, files) => {
    const dir = tempFolder({ "README.md": "# x\n", ...files }, "lg-bin-full-");
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, "scan", ".", "-f", "json"], { cwd: dir, encoding: "utf8", stdio: ["ignore", full, "pipe"] });
      expect(r.stderr).toContain("cannot write the report to stdout (ENOSPC)");
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});

describe("the CommonJS bundles bin/leakguard.js runs as a vm.Script", () => {
  // There import() has no loader to call: a module from outside the bundle must be required.
  it.each(["cli.cjs", "cli-staged.cjs"])("%s import()s no module from outside the bundle", (name) => {
    const source = readFileSync(fileURLToPath(new URL(`../../dist/bundle/${name}`, import.meta.url)), "utf8");
    const code = source.split("\n").filter((line) => !/^\s*\/\//.test(line));
    expect(code.filter((line) => /(?<![\w$.'"])import\(\s*["'`]/.test(line))).toEqual([]);
  });
});
