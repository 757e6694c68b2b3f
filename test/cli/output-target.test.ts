/**
 * Issue #11 item 10: `--output` used to replace whatever it named with a
 * regular file (temporary file + rename): a device node, a FIFO its reader
 * waited on, a symlink. Now only regular files (and new paths) are replaced
 * atomically; devices and FIFOs are written through; symlinks are followed.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

let dir: string;
let token: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lg-output-"));
  token = githubToken(1010);
  writeFileSync(join(dir, "app.env"), `GITHUB_TOKEN=${token}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const scanTo = (out: string, format = "json") => runIn(dir, ["scan", "--format", format, "--output", out, "app.env"]);
const isRoot = process.getuid?.() === 0;

describe("--output", () => {
  it("/dev/null stays a character device", async () => {
    const r = await scanTo("/dev/null");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  // The same as /dev/null, on a device node of our own, so that the old code destroys only this copy.
  it.runIf(isRoot)("a device node is written through, not replaced", async () => {
    const dev = join(dir, "null");
    expect(spawnSync("mknod", [dev, "c", "1", "3"]).status).toBe(0);
    const r = await scanTo("null");
    expect(r.code).toBe(1);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["app.env", "null"]);
  });

  it("a FIFO's reader receives the report", async () => {
    const fifo = join(dir, "report.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const reader = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    reader.stdout.on("data", (c: Buffer) => chunks.push(c));
    const done = new Promise<number | null>((res) => reader.on("close", res));
    // A hang guard, not a timing assertion: with the old code the reader waits forever.
    const guard = setTimeout(() => reader.kill(), 20_000);
    try {
      const r = await scanTo("report.fifo");
      expect(r.code).toBe(1);
      expect(await done).toBe(0);
    } finally {
      clearTimeout(guard);
      reader.kill();
    }
    const report = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { findings: unknown[] };
    expect(report.findings).toHaveLength(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("a symlink is followed: the target is updated and the link kept", async () => {
    mkdirSync(join(dir, "reports"));
    writeFileSync(join(dir, "reports", "real.json"), "old");
    symlinkSync("reports/real.json", join(dir, "latest.json"));
    const r = await scanTo("latest.json");
    expect(r.code).toBe(1);
    expect(lstatSync(join(dir, "latest.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "reports", "real.json"), "utf8"))).toMatchObject({ tool: expect.anything() });
    // a dangling link creates its target
    symlinkSync("reports/new.json", join(dir, "next.json"));
    expect((await scanTo("next.json")).code).toBe(1);
    expect(lstatSync(join(dir, "next.json")).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, "reports", "new.json")).isFile()).toBe(true);
  });

  it("an existing file keeps its mode; a new file honours the umask", async () => {
    const kept = join(dir, "private.json");
    writeFileSync(kept, "old");
    chmodSync(kept, 0o600);
    expect((await scanTo("private.json")).code).toBe(1);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(readFileSync(kept, "utf8")).not.toBe("old");
    const umask = process.umask();
    expect((await scanTo("fresh.json")).code).toBe(1);
    expect(statSync(join(dir, "fresh.json")).mode & 0o777).toBe(0o666 & ~umask);
  });

  it("a missing folder is exit 2 with one line, before the scan starts", async () => {
    // history in a folder that is no repository: the error names --output, so nothing else ran first.
    const r = await runIn(dir, ["history", "--output", "no/such/dir/out.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^leakguard: --output no\/such\/dir\/out\.json: folder .* does not exist$/m);
    expect(readdirSync(dir)).toEqual(["app.env"]);
  });

  it("a directory as target is exit 2 with one line, never an internal error", async () => {
    mkdirSync(join(dir, "out"));
    const r = await scanTo("out");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("leakguard: --output out: is a directory; name a file\n");
    expect(readdirSync(join(dir, "out"))).toEqual([]);
  });
});
