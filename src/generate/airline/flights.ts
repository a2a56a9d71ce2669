import { dict, type PyDict } from '../../py/value.ts';
import type { Rng } from '../prng.ts';
import { AIRPORTS, NOW_DATE, clock, dateRange, stamp } from './calendar.ts';

export const CABINS = ['basic_economy', 'economy', 'business'] as const;
export type Cabin = (typeof CABINS)[number];

/** Minutes of `HH:MM:SS` (the `+1` suffix adds a day). */
export function minutesOf(t: string): number {
  const [h, m] = t.split(':').map((x) => parseInt(x, 10));
  return (h ?? 0) * 60 + (m ?? 0) + (t.includes('+') ? 1440 * parseInt(t.split('+')[1] ?? '0', 10) : 0);
}

/**
 * Flights `HAT001…` on a network of routes flown in both directions, each with one entry per
 * date in every status shape τ-bench has: past dates landed or cancelled; today landed, flying,
 * on time or delayed by the 15:00 clock; future dates available with seats and int prices.
 */
export function makeFlights(rng: Rng, n: number, startDate: string, days: number): Map<string, PyDict> {
  const codes = AIRPORTS.map(([c]) => c);
  const routes: [string, string][] = [];
  const routeCount = Math.max(1, Math.round(n / 2.8));
  const seen = new Set<string>();
  while (routes.length < routeCount && seen.size < (codes.length * (codes.length - 1)) / 2) {
    const [a, b] = rng.sample(codes, 2) as [string, string];
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push([a, b]);
  }
  const dates = dateRange(startDate, days);
  const flights = new Map<string, PyDict>();
  const perRoute: number[] = [];
  for (let i = 0; i < n; i++) {
    const number = `HAT${String(i + 1).padStart(3, '0')}`;
    const r = rng.int(0, routes.length - 1);
    const [a, b] = routes[r]!;
    // Alternate directions on a route so round trips exist wherever a route has two flights.
    const flown = (perRoute[r] = (perRoute[r] ?? 0) + 1);
    const [origin, destination] = flown % 2 === 1 ? [a, b] : [b, a];
    const dep = rng.int(0, 23) * 60 + rng.pick([0, 30]);
    const arr = dep + rng.int(2, 12) * 30;
    const base = rng.int(50, 100);
    const entries: PyDict = new Map();
    for (const date of dates) entries.set(date, dateEntry(rng, date, dep, arr, base));
    flights.set(
      number,
      dict([
        ['flight_number', number],
        ['origin', origin],
        ['destination', destination],
        ['scheduled_departure_time_est', clock(dep)],
        ['scheduled_arrival_time_est', clock(arr)],
        ['dates', entries],
      ]),
    );
  }
  return flights;
}

function dateEntry(rng: Rng, date: string, dep: number, arr: number, base: number): PyDict {
  const now = 15 * 60;
  const jitter = (): number => rng.int(-30, 30);
  if (date < NOW_DATE || (date === NOW_DATE && arr + 10 <= now)) {
    if (date < NOW_DATE && rng.chance(0.09)) return dict([['status', 'cancelled']]);
    return dict([
      ['status', 'landed'],
      ['actual_departure_time_est', stamp(date, dep + jitter())],
      ['actual_arrival_time_est', stamp(date, arr + jitter())],
    ]);
  }
  if (date === NOW_DATE) {
    if (dep <= now) {
      return dict([
        ['status', 'flying'],
        ['actual_departure_time_est', stamp(date, dep + jitter())],
        ['estimated_arrival_time_est', stamp(date, arr + jitter())],
      ]);
    }
    const late = rng.chance(0.4) ? rng.int(60, 300) : 0;
    return dict([
      ['status', late ? 'delayed' : 'on time'],
      ['estimated_departure_time_est', stamp(date, dep + late)],
      ['estimated_arrival_time_est', stamp(date, arr + late)],
    ]);
  }
  if (rng.chance(0.02)) return dict([['status', 'cancelled']]);
  return dict([
    ['status', 'available'],
    ['available_seats', dict(CABINS.map((c) => [c, rng.int(0, 20)] as const))],
    [
      'prices',
      dict([
        ['basic_economy', base + rng.int(0, 50)],
        ['economy', base + rng.int(50, 150)],
        ['business', base + rng.int(200, 450)],
      ]),
    ],
  ]);
}
