/**
 * The credential-file parsers by name, as rules name them (`parser = "pgpass"`
 * in rules/*.toml). A parser is a pure function: a file's text in, the spans
 * of its credential fields out. The rule around it says which files it reads
 * (`path`), its id, severity, confidence, remediation and examples.
 */
import { parseFilezilla } from "./filezilla.js";
import { parseGitCredentials } from "./git-credentials.js";
import { parseHtpasswd } from "./htpasswd.js";
import { parseAwsCredentials, parseMyCnf, parseS3cfg } from "./ini.js";
import { parseNetrc } from "./netrc.js";
import { parsePgpass } from "./pgpass.js";
import { parseShellHistory } from "./shell-history.js";
import type { CredentialParser } from "./types.js";

export type { CredentialField, CredentialParser } from "./types.js";

/** Every parser a rule can name. */
export const PARSERS: Readonly<Record<string, CredentialParser>> = {
  pgpass: parsePgpass,
  netrc: parseNetrc,
  "git-credentials": parseGitCredentials,
  s3cfg: parseS3cfg,
  "aws-credentials": parseAwsCredentials,
  "my-cnf": parseMyCnf,
  filezilla: parseFilezilla,
  htpasswd: parseHtpasswd,
  "shell-history": parseShellHistory,
};
