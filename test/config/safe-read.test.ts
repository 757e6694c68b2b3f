/**
 * Issue #11 item 6: config, ignore and baseline files used to be read with
 * readFileSync, following any symlink and opening FIFOs and devices: a
 * `.leakguard.toml` committed as a link to /dev/zero grew to gigabytes, a
 * FIFO hung the run, `[extend] path` could read any file on the machine.
 * Now: regular files only, under a size cap, and a file found in the
 * repository may only point inside it. Each refusal is exit 2, one line,
 * naming the file.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/util/read-config-file.js";
import { runIn } from "../helpers/in-process.js";
import { TestRepo } from "../helpers/git-repo.js";
import { githubToken } from "../helpers/secrets.js";

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A repository with one committed secret in app.env. */
function repo(): TestRepo {
  const r = new TestRepo();
  cleanup.push(() => r.remove());
  r.commitFiles({ "app.env": `GITHUB_TOKEN=${githubToken(606)}\n` }, "add app");
  return r;
}

/** A folder outside every repository. */
function outside(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-outside-"));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Commits a symlink `name` → `target`. */
function commitLink(r: TestRepo, name: string, target: string): void {
  symlinkSync(target, join(r.dir, name));
  r.add(name);
  r.commit(`link ${name}`);
}

function mkfifo(path: string): void {
  expect(spawnSync("mkfifo", [path]).status).toBe(0);
}

/** Asserts exit 2 with exactly one stderr line matching `re`. */
function refused(res: { code: number; stdout: string; stderr: string }, re: RegExp): void {
  expect(res.stderr.trim().split("\n")).toHaveLength(1);
  expect(res.stderr).toMatch(re);
  expect(res.code).toBe(2);
}

describe("config, ignore and baseline files are read safely", () => {
  for (const name of [".leakguard.toml", ".gitleaks.toml", ".leakguardignore", ".gitleaksignore"]) {
    it(`${name} committed as a symlink to /dev/zero: exit 2, one line`, async () => {
      const r = repo();
      commitLink(r, name, "/dev/zero");
      refused(await runIn(r.dir, ["scan", "."]), new RegExp(`${name.replace(".", "\\.")}: is a symbolic link to /dev/zero, outside the scanned tree`));
      refused(await runIn(r.dir, ["history"]), new RegExp(`${name.replace(".", "\\.")}: is a symbolic link to /dev/zero`));
    });
  }

  it("a FIFO as .leakguardignore or .leakguard.toml never hangs: exit 2, one line", async () => {
    const r = repo();
    mkfifo(join(r.dir, ".leakguardignore"));
    refused(await runIn(r.dir, ["scan", "app.env"]), /\.leakguardignore: is a FIFO, not a regular file/);
    rmSync(join(r.dir, ".leakguardignore"));
    mkfifo(join(r.dir, ".leakguard.toml"));
    refused(await runIn(r.dir, ["scan", "app.env"]), /\.leakguard\.toml: is a FIFO, not a regular file/);
  });

  it("a symlink out of the repository is refused, one inside it is followed", async () => {
    const r = repo();
    const ext = join(outside(), "ignore");
    writeFileSync(ext, "app.env:github-pat:1\n");
    commitLink(r, ".gitleaksignore", ext);
    refused(await runIn(r.dir, ["scan", "app.env"]), /\.gitleaksignore: is a symbolic link to .*ignore, outside the scanned tree/);
    rmSync(join(r.dir, ".gitleaksignore"));
    r.write("conf/ignore", "app.env:github-pat:1 accepted\n");
    commitLink(r, ".gitleaksignore", "conf/ignore");
    const ok = await runIn(r.dir, ["scan", "app.env"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0); // the entry inside the repository applied
  });

  it("[extend] path in a repository config must stay inside the repository", async () => {
    const r = repo();
    const parent = join(outside(), "base.toml");
    writeFileSync(parent, "[extend]\nuseDefault = true\n");
    r.commitFiles({ ".leakguard.toml": `[extend]\npath = "${parent}"\n` }, "extend absolute");
    refused(await runIn(r.dir, ["scan", "app.env"]), /\.leakguard\.toml:2: \[extend\] path .*base\.toml: resolves to .*base\.toml, outside the scanned tree/);
    r.commitFiles({ ".leakguard.toml": `[extend]\npath = "../../../../../../../../etc/hostname"\n` }, "extend relative");
    refused(await runIn(r.dir, ["scan", "app.env"]), /\[extend\] path \.\.\/.*etc\/hostname: resolves to .*, outside the scanned tree/);
    // inside the repository: fine
    r.commitFiles({ "conf/base.toml": "[extend]\nuseDefault = true\n", ".leakguard.toml": `[extend]\npath = "conf/base.toml"\n` }, "extend inside");
    expect((await runIn(r.dir, ["scan", "app.env"])).code).toBe(1);
  });

  it("a config named with --config may link anywhere, but must be a regular file", async () => {
    const r = repo();
    const dir = outside();
    writeFileSync(join(dir, "team.toml"), "[allowlist]\npaths = ['''app\\.env''']\n");
    symlinkSync(join(dir, "team.toml"), join(dir, "link.toml"));
    const ok = await runIn(r.dir, ["scan", "--config", join(dir, "link.toml"), "app.env"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    symlinkSync("/dev/zero", join(dir, "zero.toml"));
    refused(await runIn(r.dir, ["scan", "--config", join(dir, "zero.toml"), "app.env"]), /zero\.toml: is a character device, not a regular file/);
    mkfifo(join(dir, "base.json"));
    refused(await runIn(r.dir, ["scan", "--baseline", join(dir, "base.json"), "app.env"]), /base\.json: is a FIFO, not a regular file/);
  });

  it("an oversize ignore file is refused with its size", async () => {
    const r = repo();
    r.write(".leakguardignore", "# padding\n".repeat(420_000)); // 4.2 MB of comments
    refused(await runIn(r.dir, ["scan", "app.env"]), /\.leakguardignore: ignore file is 4200000 bytes, larger than the 4 MiB leakguard reads/);
  });

  it("baseline update refuses a repository baseline linked to /dev/zero", async () => {
    const r = repo();
    commitLink(r, ".leakguard-baseline.json", "/dev/zero");
    refused(await runIn(r.dir, ["baseline", "update"]), /\.leakguard-baseline\.json: is a symbolic link to \/dev\/zero/);
  });

  it("the reader itself: missing is undefined, a cap holds, a directory is refused", () => {
    const dir = outside();
    expect(readConfigFile(join(dir, "none"), { kind: "config file" })).toBeUndefined();
    writeFileSync(join(dir, "small"), "x".repeat(11));
    expect(() => readConfigFile(join(dir, "small"), { kind: "config file", maxBytes: 10 })).toThrow(/larger than/);
    expect(readConfigFile(join(dir, "small"), { kind: "config file", maxBytes: 11 })).toBe("x".repeat(11));
    expect(() => readConfigFile(dir, { kind: "config file" })).toThrow(/is a directory/);
  });
});
