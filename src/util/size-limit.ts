/**
 * The largest file, blob or archive entry scanned: one default and one rule
 * for who decides, for every source (files, staged, push, history). No
 * imports, so the pre-commit hook loads nothing extra for it.
 */

/** Default largest file: large enough for minified bundles, small enough to bound memory. */
export const DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024;

/** The size limit of a scan: the caller's option, else the config's `[scan] maxFileSize`, else the default. */
export function maxFileSizeOf(scan: { maxFileSize?: number }, override?: number): number {
  return override ?? scan.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
}
