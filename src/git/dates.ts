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

/** The instant `n` `unit`s before `now`, as git counts them (calendar months and years). */
function ago(n: number, unit: string, now: number): number {
  const d = new Date(now);
  if (unit === "month") d.setMonth(d.getMonth() - n);
  else if (unit === "year") d.setFullYear(d.getFullYear() - n);
  else return now - n * 1000 * ({ second: 1, minute: 60, hour: 3600, day: 86_400, week: 604_800 }[unit] ?? 0);
  return d.getTime();
}

/** The start of 1970 in UTC: git selects nothing for an instant before it. */
const EPOCH = "1970-01-01 00:00:00 +0000";

/**
 * `value` (trimmed) as git is to read it when valid, else throws a
 * {@link UsageError} naming `flag`. A bare date becomes that day's start in
 * local time (git reads `2024-05-02` as that day at the current time of day,
 * so a run in the evening missed the morning's commits); any date or age
 * before the start of 1970 (east of UTC, `1970-01-01` is; git then selects
 * nothing) becomes the start of 1970 in UTC (everything).
 */
export function checkGitDate(flag: string, value: string, now = Date.now()): string {
  if (!isValidGitDate(value)) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    throw new UsageError(
      `${flag} "${shown}" is not a date leakguard understands (use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], or "N days|weeks|months|years ago")`,
    );
  }
  const v = value.trim();
  const rel = RELATIVE.exec(v);
  if (rel) return ago(Number(rel[1]), rel[2]!, now) < 0 ? EPOCH : v;
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (bare) return new Date(Number(bare[1]), Number(bare[2]) - 1, Number(bare[3])).getTime() < 0 ? EPOCH : `${v} 00:00:00`;
  const at = Date.parse(v.replace(" ", "T"));
  return !Number.isNaN(at) && at < 0 ? EPOCH : v;
}
