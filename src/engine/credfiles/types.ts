/**
 * Types of the credential-file parsers: text in, credential fields out.
 * Pure: no fs, no git, no process.
 */

/** One credential value found by a parser, with its span in the parsed text. */
export interface CredentialField {
  /** Offset of the value's first character in the text. */
  start: number;
  /** Offset just after the value's last character. */
  end: number;
  /** The secret: the text of the span, or its decoded form when `encoding` is set. */
  secret: string;
  /** The field it was read from (`password`, `aws_secret_access_key`, …), for the match text. */
  field: string;
  /** How the span is encoded when `secret` is its decoded form (`base64`). */
  encoding?: string;
}

/**
 * A parser for one file format. `path` is the fragment's path (a parser may
 * judge a value differently in a test fixture); `text` is the whole file.
 */
export type CredentialParser = (text: string, path: string) => CredentialField[];
