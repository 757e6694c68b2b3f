/**
 * A configured regex the watchdog has to stop, and the budget the tests give
 * it, with wide margins on both sides so that a busy machine cannot change
 * the outcome:
 *
 * - the ordinary files scanned beside the slow one (the first job of a cold
 *   worker: ~15 ms on a quiet 2-core machine, once past 250 ms with six busy
 *   loops on its two cores) must fit in the budget with six times that to spare;
 * - the slow text must outlast the budget by far more than any machine is
 *   faster: `[a-z]+@` backtracks quadratically (~7 s on 100,000 letters here,
 *   four times that on twice as many), so 600,000 letters run for minutes.
 *
 * The budget elapses in every such test, with the slow regex burning a core
 * until the watchdog stops it (nine tests in the suite), so it is no larger
 * than the margin needs: at 3 s they took ~30 s of the suite's CPU.
 */

/** A `.leakguard.toml` with one rule that passes the static check yet backtracks quadratically on a long run of letters. */
export const SLOW_RULE_TOML = '[[rules]]\nid = "at-sign"\nregex = "[a-z]+@"\n';

/** The per-file time budget (ms) of tests that wait for the watchdog. */
export const WATCHDOG_TEST_BUDGET_MS = 1500;

/** A text `SLOW_RULE_TOML`'s regex runs on for minutes (~10^11 backtracking steps). */
export const slowText = (): string => "a".repeat(600_000) + "\n";
