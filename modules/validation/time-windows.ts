/**
 * RDS's daily and weekly UTC windows, as minutes, so that rules AWS enforces
 * at apply (length, overlap) can be checked at synth. Provider-free.
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKLY = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;

/** A window as its start and length in minutes; the start is minutes after midnight (daily) or Monday 00:00 (weekly). */
export interface TimeWindow {
  readonly start: number;
  readonly minutes: number;
}

/** `hh:mm-hh:mm` (UTC; may cross midnight), or undefined if malformed or empty. */
export function parseDailyWindow(text: string): TimeWindow | undefined {
  const m = DAILY.exec(text);
  if (m === null) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, minutes: (end - start + DAY_MINUTES) % DAY_MINUTES };
}

/** `ddd:hh:mm-ddd:hh:mm` (UTC; may cross the week's end), or undefined if malformed or empty. */
export function parseWeeklyWindow(text: string): TimeWindow | undefined {
  const m = WEEKLY.exec(text);
  if (m === null) return undefined;
  const at = (day: string, h: string, min: string): number => DAYS.indexOf(day as (typeof DAYS)[number]) * DAY_MINUTES + Number(h) * 60 + Number(min);
  const start = at(m[1], m[2], m[3]);
  const end = at(m[4], m[5], m[6]);
  return { start, minutes: (end - start + WEEK_MINUTES) % WEEK_MINUTES };
}

/** Whether a daily window, on any day of the week, shares a minute with a weekly one. */
export function dailyOverlapsWeekly(daily: TimeWindow, weekly: TimeWindow): boolean {
  for (let day = 0; day < 7; day++) {
    const start = day * DAY_MINUTES + daily.start;
    // Compare on a doubled week, so both windows may wrap past Sunday midnight.
    for (const shift of [0, WEEK_MINUTES]) {
      const a = start + shift;
      for (const b of [weekly.start, weekly.start + WEEK_MINUTES]) {
        if (a < b + weekly.minutes && b < a + daily.minutes) return true;
      }
    }
  }
  return false;
}
