/**
 * Test, example and documentation paths: a finding under one of them is
 * tagged `test-file` and its confidence is lowered one step (high → medium →
 * low), because secrets there are far more often samples than leaks. The
 * lists are data, documented in rules/README.md ("Test and documentation
 * paths"); a test keeps that page and these lists in step. Pure.
 */

/** Folder names (any depth, case-insensitive): `docs/setup.sh`, `pkg/__tests__/a.ts`. */
export const TEST_FOLDERS: readonly string[] = [
  "t", "test", "tests", "__tests__", "__mocks__", "spec", "specs", "fixture", "fixtures", "testdata", "test-data",
  "example", "examples", "sample", "samples", "mock", "mocks", "doc", "docs",
];

/** File-name markers before the extension, after `.`, `_` or `-`: `app.test.ts`, `db_example.env`. */
export const TEST_FILE_MARKERS: readonly string[] = ["test", "spec", "example", "sample"];

/** Documentation extensions: prose, where a credential is nearly always an illustration. */
export const DOC_EXTENSIONS: readonly string[] = ["md", "mdx", "rst", "adoc", "txt"];

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

// Built once from the lists; every alternative is a literal, so the regex is linear-time.
const TEST_PATH = new RegExp(
  `(^|/)(${TEST_FOLDERS.map(esc).join("|")})/|[._-](${TEST_FILE_MARKERS.map(esc).join("|")})\\.[a-z0-9]+$|\\.(${DOC_EXTENSIONS.map(esc).join("|")})$`,
  "i",
);

/** True when findings at `path` are tagged `test-file` (confidence one step lower). */
export function isTestPath(path: string): boolean {
  return path !== "" && TEST_PATH.test(path);
}
