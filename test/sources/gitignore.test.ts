/**
 * The tree walk's `.gitignore` layers answer, for every path the walk asks
 * about, exactly what the whole file answers through the `ignore` package,
 * although anchored literals such as `/git-add` are looked up by the path
 * they name instead of being tried on every path.
 * Pure: layers are built from text, the walk is replayed over a list of paths.
 */
import { describe, expect, it } from "vitest";
import { ignored, IgnoreLayer, reincluding } from "../../src/sources/gitignore.js";

const ROOT_IGNORE = [
  "# build products",
  "/git-add",
  "/git-am",
  "/build/",
  "/README",
  "/docs/out.html",
  "/docs/gen/",
  "/a/b/c.txt",
  "/keep",
  "!/keep",
  "*.o",
  "/tmp*",
  "/gen",
  "!gen",
  "/x.y+z",
  "/.",
  "/..",
  "/.hidden",
  "!/docs/out.html",
  "/docs/out.html",
  "/sub/deep/",
  "!/sub/deep/",
  // After the last negation: a literal that names a path settles it.
  "/bin/",
  "/kube",
  "/lib/a.so",
  "",
].join("\n");

/** Folders and files of a tree, depth first as the walk meets them; folders end in "/". */
const TREE = [
  "git-add",
  "git-am/",
  "git-am/x.c",
  "git-add.c",
  "GIT-ADD",
  "build/",
  "build/out.o",
  "build",
  "readme",
  "README/",
  "README/a",
  "docs/",
  "docs/out.html",
  "docs/gen/",
  "docs/gen/a.txt",
  "docs/gen",
  "docs/git-add",
  "docs/README",
  "a/",
  "a/b/",
  "a/b/c.txt",
  "a/b/C.TXT",
  "a/b/c.txt/",
  "a/b/c.txt/d",
  "a/c.txt",
  "keep",
  "keep/",
  "keep/k.txt",
  "main.o",
  "tmpfile",
  "gen/",
  "gen/x",
  "gen",
  "x.y+z",
  "xzy+z",
  ".hidden",
  ".hidden/",
  ".hidden/h",
  "sub/",
  "sub/deep/",
  "sub/deep/f",
  "sub/deep/git-add",
  "sub/git-add",
  "sub/build/",
  "sub/build/f",
  "K\u212Aep",
  "git-\u212Add",
  "bin",
  "bin/",
  "bin/x",
  "\u212Aube",
  "KUBE",
  "lib/",
  "lib/A.SO",
  "lib/a.so/",
];

/** What the walk asks: every path whose folders the layers do not ignore, asked as `ask` answers. */
function walkAnswers(paths: readonly string[], ask: (rel: string, isDir: boolean) => boolean): string[] {
  const out: string[] = [];
  const ignoredDirs: string[] = [];
  for (const p of paths) {
    const isDir = p.endsWith("/");
    const rel = isDir ? p.slice(0, -1) : p;
    if (ignoredDirs.some((d) => rel.startsWith(d + "/"))) continue;
    const answer = ask(rel, isDir);
    if (answer && isDir) ignoredDirs.push(rel);
    out.push(`${p} ${answer ? "ignored" : "kept"}`);
  }
  return out;
}

/** The same question put to each layer's whole file, as the walk asked before depths were told apart. */
const whole = (layers: readonly IgnoreLayer[]) => (rel: string, isDir: boolean): boolean =>
  layers.some((l) => {
    const sub = l.dir === "" ? rel : rel.slice(l.dir.length + 1);
    return sub !== "" && l.whole.ignores(isDir ? sub + "/" : sub);
  });

describe("gitignore layers", () => {
  it("answer every path of a walk as the whole .gitignore does (literals of every depth, negations, case, dots)", () => {
    const layers = [new IgnoreLayer("", ROOT_IGNORE)];
    const expected = walkAnswers(TREE, whole(layers));
    expect(walkAnswers(TREE, (rel, isDir) => ignored(layers, rel, isDir))).toEqual(expected);
    expect(expected).toContain("git-add ignored");
    expect(expected).toContain("docs/git-add kept");
  });

  it("a nested layer and a root layer re-including a named folder answer as the whole files do", () => {
    const nested = new IgnoreLayer("sub", "/deep/f\n/build/\n!/git-add\n/git-add\n");
    const layers = [reincluding(new IgnoreLayer("", ROOT_IGNORE), "build"), nested];
    expect(layers[0]!.extra).toBe("!/build/");
    const below = TREE.filter((p) => p.startsWith("build/") || p.startsWith("sub/"));
    expect(walkAnswers(below, (rel, isDir) => ignored(layers, rel, isDir))).toEqual(walkAnswers(below, whole(layers)));
  });

  it("a file without negations answers as the whole file does, its segment patterns (*.o, Debug/, *+) compared as strings", () => {
    const text = [
      "/git-add",
      "/build/",
      "*.o",
      "*.tar.gz",
      "*.[aos]",
      "*.py[co]",
      "*+",
      "Debug/",
      ".vs/",
      "core",
      "*.dSYM",
      "*.ilk/",
      "docs/*.html",
      "**/gen",
      "\\#hash",
      "*.",
      ".",
      "# a comment",
      "",
    ].join("\n");
    const names = ["main.o", "MAIN.O", "a.tar.gz", "a.TAR.GZ", "tar.gz", "x.a", "x.s", "m.pyc", "m.py", "c++", "cxx", "Debug", "debug", "DEBUG", ".vs", ".VS", "core", "Core", "cores", "x.dsym", "y.ilk", "docs", "gen", "#hash", "a.", "K\u212Aore", "\u212A.o", "m\u00e9.o", "o"];
    const tree: string[] = [];
    for (const dir of ["", "sub/", "sub/deep/"]) {
      if (dir !== "") tree.push(dir);
      for (const n of names) tree.push(dir + n, `${dir}${n}/`, `${dir}${n}/f.txt`, `${dir}${n}/x.html`);
    }
    tree.push("docs/", "docs/a.html", "docs/a.htm", "sub/docs/", "sub/docs/a.html");
    const nested = [new IgnoreLayer("", "/git-add\n"), new IgnoreLayer("sub", text)];
    for (const [layers, paths] of [[[new IgnoreLayer("", text)], tree], [nested, tree.filter((p) => p.startsWith("sub/"))]] as const) {
      const expected = walkAnswers(paths, whole(layers));
      expect(walkAnswers(paths, (rel, isDir) => ignored(layers, rel, isDir))).toEqual(expected);
    }
    const expected = walkAnswers(tree, whole([new IgnoreLayer("", text)]));
    expect(expected).toEqual(expect.arrayContaining(["MAIN.O ignored", "Debug/ ignored", "Debug kept", "c++ ignored", "y.ilk kept", "y.ilk/ ignored", "m\u00e9.o ignored"]));
  });

  it("a file with CR line ends or a BOM is read whole and answers as before", () => {
    for (const text of ["/git-add\r\n*.o\r\n", "\uFEFF/git-add\n*.o\n", "*.o\n\uFEFF/git-add\n"]) {
      const layers = [new IgnoreLayer("", text)];
      expect(walkAnswers(TREE, (rel, isDir) => ignored(layers, rel, isDir))).toEqual(walkAnswers(TREE, whole(layers)));
    }
  });
});
