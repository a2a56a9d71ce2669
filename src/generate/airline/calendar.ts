/**
 * The airline world's clock. τ-bench's policy says "the current time is 2024-05-15 15:00:00 EST"
 * and its booking tool stamps `created_at` with that instant, so generated worlds share it.
 */
export const NOW_DATE = '2024-05-15';
export const NOW_TIME = '15:00:00';
export const NOW = `${NOW_DATE}T${NOW_TIME}`;

/** `YYYY-MM-DD` plus n days (UTC arithmetic; no time zones involved). */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Minutes since midnight to `HH:MM:SS`, with `+1` past midnight as τ-bench writes it. */
export function clock(minutes: number): string {
  const day = Math.floor(minutes / 1440);
  const m = ((minutes % 1440) + 1440) % 1440;
  const s = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
  return day > 0 ? `${s}+${day}` : s;
}

/** A timestamp `YYYY-MM-DDTHH:MM:SS` at minutes after the date's midnight (may roll over). */
export function stamp(date: string, minutes: number): string {
  const day = Math.floor(minutes / 1440);
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${addDays(date, day)}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00`;
}

/** Whole dates from start, n of them. */
export function dateRange(start: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(start, i));
}

export const AIRPORTS: readonly (readonly [string, string])[] = [
  ['ATL', 'Atlanta'], ['BOS', 'Boston'], ['CLT', 'Charlotte'], ['DEN', 'Denver'], ['DFW', 'Dallas-Fort Worth'],
  ['DTW', 'Detroit'], ['EWR', 'Newark'], ['IAH', 'Houston'], ['JFK', 'New York'], ['LAS', 'Las Vegas'],
  ['LAX', 'Los Angeles'], ['LGA', 'New York'], ['MCO', 'Orlando'], ['MIA', 'Miami'], ['MSP', 'Minneapolis'],
  ['ORD', 'Chicago'], ['PHL', 'Philadelphia'], ['PHX', 'Phoenix'], ['SEA', 'Seattle'], ['SFO', 'San Francisco'],
];
