/**
 * Control characters (ESC, CR, BEL…) from file names or file content shown as
 * `\u001b`: a file name must not be able to drive the terminal.
 */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/** `s` with its control characters (tab aside) written as `\uXXXX`. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
