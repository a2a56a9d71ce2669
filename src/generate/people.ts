import { dict, type PyDict } from '../py/value.ts';
import type { Rng } from './prng.ts';

/** Given names and surnames for generated customers (a broad, mixed set). */
export const FIRST_NAMES = [
  'Aarav', 'Ada', 'Ahmed', 'Aisha', 'Amelia', 'Anya', 'Arjun', 'Ava', 'Bruno', 'Camila', 'Chen', 'Chloe',
  'Daiki', 'Daniel', 'Diego', 'Elena', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Grace', 'Hana', 'Harper',
  'Hugo', 'Ibrahim', 'Imani', 'Isabella', 'Ivan', 'Jamal', 'Javier', 'Kai', 'Keanu', 'Lara', 'Leila',
  'Liam', 'Lucas', 'Maya', 'Mei', 'Mohamed', 'Nadia', 'Nia', 'Noah', 'Olga', 'Omar', 'Priya', 'Rafael',
  'Raj', 'Rosa', 'Sara', 'Sofia', 'Sven', 'Tariq', 'Thea', 'Tomas', 'Uma', 'Valentina', 'Wei', 'Yara',
  'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Abe', 'Adeyemi', 'Ali', 'Andersen', 'Brown', 'Castillo', 'Chen', 'Cohen', 'Davis', 'Dubois', 'Evans',
  'Fischer', 'Garcia', 'Gupta', 'Hansen', 'Hernandez', 'Ito', 'Jensen', 'Johnson', 'Kim', 'Kowalski',
  'Kumar', 'Larsen', 'Lopez', 'Martin', 'Moreau', 'Murphy', 'Nakamura', 'Nguyen', 'Novak', 'Okafor',
  'Olsen', 'Park', 'Patel', 'Petrov', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith',
  'Sousa', 'Tanaka', 'Taylor', 'Usman', 'Vargas', 'Wagner', 'Wang', 'Yilmaz', 'Zhang',
] as const;

const STREETS = [
  'Oak Street', 'Maple Avenue', 'Cedar Lane', 'Pine Road', 'Elm Court', 'Willow Way', 'Birch Drive',
  'Lakeview Boulevard', 'Hillcrest Road', 'River Street', 'Sunset Avenue', 'Park Place', 'Harbor Drive',
  'Meadow Lane', 'Forest Avenue', 'Spring Street', 'Highland Road', 'Chestnut Street', 'Valley View',
  'Main Street',
] as const;

/** City, state and the first two zip digits, so zips look local. */
const CITIES: readonly (readonly [string, string, string])[] = [
  ['Seattle', 'WA', '98'], ['Portland', 'OR', '97'], ['San Francisco', 'CA', '94'], ['Los Angeles', 'CA', '90'],
  ['San Diego', 'CA', '92'], ['Phoenix', 'AZ', '85'], ['Denver', 'CO', '80'], ['Austin', 'TX', '78'],
  ['Houston', 'TX', '77'], ['Dallas', 'TX', '75'], ['Chicago', 'IL', '60'], ['Minneapolis', 'MN', '55'],
  ['Detroit', 'MI', '48'], ['Columbus', 'OH', '43'], ['Atlanta', 'GA', '30'], ['Miami', 'FL', '33'],
  ['Orlando', 'FL', '32'], ['Charlotte', 'NC', '28'], ['Nashville', 'TN', '37'], ['Philadelphia', 'PA', '19'],
  ['Pittsburgh', 'PA', '15'], ['New York', 'NY', '10'], ['Boston', 'MA', '02'], ['Baltimore', 'MD', '21'],
  ['Las Vegas', 'NV', '89'], ['Salt Lake City', 'UT', '84'],
];

export interface Person {
  first: string;
  last: string;
  /** τ-bench-style user id: `first_last_NNNN`, lowercase. */
  userId: string;
  email: string;
}

export function makePerson(rng: Rng, taken: Set<string>): Person {
  for (;;) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const userId = `${first}_${last}_${rng.int(1000, 9999)}`.toLowerCase();
    if (taken.has(userId)) continue;
    taken.add(userId);
    const email = `${first}.${last}${rng.int(1000, 9999)}@example.com`.toLowerCase();
    return { first, last, userId, email };
  }
}

/** An address in τ-bench's data key order (address1, address2, city, country, state, zip). */
export function makeAddress(rng: Rng): PyDict {
  const [city, state, zip2] = rng.pick(CITIES);
  return dict([
    ['address1', `${rng.int(100, 999)} ${rng.pick(STREETS)}`],
    ['address2', `${rng.pick(['Suite', 'Apt', 'Unit'])} ${rng.int(100, 999)}`],
    ['city', city],
    ['country', 'USA'],
    ['state', state],
    ['zip', `${zip2}${rng.digits(3).slice(0, 3)}`],
  ]);
}

/** A birth date between the given years, `YYYY-MM-DD`. */
export function makeDob(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function makeCard(rng: Rng, id: string): PyDict {
  return dict([
    ['source', 'credit_card'],
    ['brand', rng.pick(['visa', 'mastercard', 'amex', 'discover'])],
    ['last_four', rng.digits(4)],
    ['id', id],
  ]);
}
