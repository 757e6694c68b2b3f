/**
 * Date arguments for `git log --since` (pure). git's own date parser accepts
 * almost anything and silently ignores what it cannot read, so
 * `--since notadate` or `--since 2099-13-45` would scan everything (or
 * nothing) and end green. leakguard accepts only forms it can check itself:
 *
 * - an ISO 8601 date: `2024-05-01`
 * - an ISO 8601 date and time: `2024-05-01T13:45`, `2024-05-01 13:45:10`,
 *   optionally with seconds fractions and a zone (`Z`, `+02:00`, `-0500`)
 * - a relative age: `N unit(s) ago` with unit second, minute, hour, day,
 *   week, month or year (`2 weeks ago`, `1 year ago`)
 *
 * Everything else (`yesterday`, `last monday`, `notadate`, impossible
 * calendar dates) is refused with one line naming the flag.
 */
import { UsageError } from "../errors.js";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;
const RELATIVE = /^(\d{1,6})[ .](second|minute|hour|day|week|month|year)s?[ .]ago$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when `value` is a date leakguard can hand to git unchanged. */
export function isValidGitDate(value: string): boolean {
  const v = value.trim();
  if (RELATIVE.test(v)) return true;
  const m = ISO.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) return false;
  if (m[7] !== undefined && (Number(m[7]) > 14 || Number(m[8]) > 59)) return false;
  return true;
}

/** Returns `value` (trimmed) when valid, else throws a {@link UsageError} naming `flag`. */
export function checkGitDate(flag: string, value: string): string {
  if (!isValidGitDate(value)) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    throw new UsageError(
      `${flag} "${shown}" is not a date leakguard understands (use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], or "N days|weeks|months|years ago")`,
    );
  }
  return value.trim();
}
