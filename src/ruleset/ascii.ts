/**
 * Text with every non-ASCII character written as a `\uXXXX` escape: valid in
 * JSON strings and JavaScript alike, and node reads a pure-ASCII file on its
 * fast path (the hook loads dist/rules.json, the rules' index and the CLI
 * bundle on every run). The build's scripts use it too, from dist/.
 */
export const asciiEscape = (text: string): string => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
