/**
 * How `leakguard scan` treats the paths the user names: an explicitly named
 * folder is scanned even when .gitignore excludes it (as ripgrep does), and
 * finding paths are relative to the scanned root. In process through
 * run(argv, io).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

const folder = (files: Record<string, string>): string => tempFolder(files, "lg-paths-");
afterEach(removeTempFolders);

const files = (out: string): string[] => (JSON.parse(out) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort();

describe("explicitly named paths", () => {
  const token = `TOKEN=${githubToken(71)}\n`;
  const tree = {
    ".gitignore": "node_modules/\n*.log\n",
    "node_modules/pkg/config.js": token,
    "node_modules/pkg/debug.log": token,
    "node_modules/pkg/.gitignore": "generated/\n",
    "node_modules/pkg/generated/out.js": token,
    "src/app.js": "ok\n",
  };

  it("a gitignored folder named on the command line is scanned; .gitignore still applies below it", async () => {
    const d = folder(tree);
    const all = await runIn(d, ["scan", ".", "--format", "json"]);
    expect(all.code).toBe(0);
    expect(files(all.stdout)).toEqual([]);
    const named = await runIn(d, ["scan", "node_modules", "--format", "json"]);
    expect(named.code).toBe(1);
    expect(files(named.stdout)).toEqual(["node_modules/pkg/config.js"]);
    const deeper = await runIn(d, ["scan", "node_modules/pkg", "--format", "json"]);
    expect(files(deeper.stdout)).toEqual(["node_modules/pkg/config.js"]);
    // A gitignored file named explicitly is scanned too.
    const file = await runIn(d, ["scan", "node_modules/pkg/debug.log", "--format", "json"]);
    expect(files(file.stdout)).toEqual(["node_modules/pkg/debug.log"]);
  });

  it("--no-gitignore still scans everything", async () => {
    const d = folder(tree);
    const r = await runIn(d, ["scan", ".", "--no-gitignore", "--format", "json"]);
    expect(files(r.stdout)).toEqual(["node_modules/pkg/config.js", "node_modules/pkg/debug.log", "node_modules/pkg/generated/out.js"]);
  });
});

describe("paths of a root outside the current folder", () => {
  const token = `TOKEN=${githubToken(81)}\n`;

  it("scan /abs/app from elsewhere: file is relative to the scanned root, text prints it as named, the root's ignore file applies", async () => {
    const app = folder({ "app.js": token, "lib/util.js": token });
    const elsewhere = folder({ "README.md": "x\n" });
    const json = await runIn(elsewhere, ["scan", app, "--format", "json"]);
    expect(json.code).toBe(1);
    expect(files(json.stdout)).toEqual(["app.js", "lib/util.js"]);
    const text = await runIn(elsewhere, ["scan", app]);
    expect(text.stdout).toContain(`${app}/app.js\n`);
    expect(text.stdout).toContain(`${app}/lib/util.js\n`);
    expect(text.stdout).not.toContain("../");
    // A relative name stays relative.
    const rel = await runIn(join(elsewhere), ["scan", `../${app.split("/").pop()}`]);
    expect(rel.stdout).toContain(`../${app.split("/").pop()}/app.js\n`);
    // The ignore file at the scanned root applies (not the one in the current folder).
    const fp = (JSON.parse(json.stdout) as { findings: Array<{ fingerprint: string }> }).findings[0]!.fingerprint;
    writeFileSync(join(app, ".leakguardignore"), `${fp} test token\n`);
    const ignored = await runIn(elsewhere, ["scan", app, "--format", "json"]);
    expect(ignored.code).toBe(0);
  });

  it("SARIF: uri relative to %SRCROOT%; no absolute path of this machine unless --sarif-root-uri names the root", async () => {
    const app = folder({ "deep/app.js": token });
    const elsewhere = folder({});
    const r = await runIn(elsewhere, ["scan", app, "--format", "sarif"]);
    const run0 = JSON.parse(r.stdout).runs[0];
    expect(run0.results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: "deep/app.js", uriBaseId: "%SRCROOT%" });
    expect(run0.originalUriBaseIds).toBeUndefined();
    expect(r.stdout).not.toContain(app);
    const named = await runIn(elsewhere, ["scan", app, "--format", "sarif", "--sarif-root-uri"]);
    expect(JSON.parse(named.stdout).runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `file://${app}/` } });
  });

  it("a path inside the current folder keeps the current folder as root (scan src → src/app.js)", async () => {
    const d = folder({ "src/app.js": token });
    const r = await runIn(d, ["scan", "src", "--format", "json"]);
    expect(files(r.stdout)).toEqual(["src/app.js"]);
    const t = await runIn(d, ["scan", "src"]);
    expect(t.stdout).toMatch(/^src\/app\.js$/m);
  });

  it("a subfolder of a repository named from outside is reported relative to the repository root", async () => {
    const repo = folder({ ".git/HEAD": "ref: refs/heads/main\n", "svc/api/key.js": token });
    const elsewhere = folder({});
    const r = await runIn(elsewhere, ["scan", join(repo, "svc/api"), "--format", "json"]);
    expect(files(r.stdout)).toEqual(["svc/api/key.js"]);
  });
});
