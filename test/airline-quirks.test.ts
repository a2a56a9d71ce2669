import { describe, expect, it } from 'vitest';
import { iadd, lastTwo, neg, pyInt, pySum, times } from '../src/domains/airline/python.ts';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { PyError } from '../src/py/errors.ts';
import { parsePy } from '../src/py/parse.ts';
import { PyFloat, deepCopy, isList, type PyDict, type PyValue } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { WorldTemplate } from '../src/sandbox/template.ts';
import { airline } from '../src/domains/airline/index.ts';
import { airlineTemplate, taubenchDir } from './support/airline-world.ts';

function pyMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof PyError) return e.pyMessage;
    throw e;
  }
  throw new Error('expected a Python exception');
}

describe('Python helpers behind the airline tools', () => {
  it('int() of a two-character slice follows Python literal rules', () => {
    expect(pyInt('05')).toBe(5);
    expect(pyInt(' 5')).toBe(5);
    expect(pyInt('-5')).toBe(-5);
    expect(pyInt('٣')).toBe(3);
    expect(pyMessage(() => pyInt('ab'))).toBe("invalid literal for int() with base 10: 'ab'");
    expect(pyMessage(() => pyInt('\ufeff5'))).toBe("invalid literal for int() with base 10: '\\ufeff5'");
    expect(pyMessage(() => pyInt(['a']))).toBe("int() argument must be a string, a bytes-like object or a real number, not 'list'");
  });

  it('slicing, arithmetic and sums raise CPython 3.11 texts', () => {
    expect(lastTwo('2024-05-05')).toBe('05');
    expect(pyMessage(() => lastTwo(new Map()))).toBe("unhashable type: 'slice'");
    expect(pyMessage(() => lastTwo(7))).toBe("'int' object is not subscriptable");
    expect(pyMessage(() => iadd(0, times(50, 'ab')))).toBe("unsupported operand type(s) for +=: 'int' and 'str'");
    expect(pyMessage(() => times(50, null))).toBe("unsupported operand type(s) for *: 'int' and 'NoneType'");
    expect(pyMessage(() => pySum([1, 'x']))).toBe("unsupported operand type(s) for +: 'int' and 'str'");
    expect(pySum([true, true])).toBe(2);
    expect(pySum([1, new PyFloat(0.1), new PyFloat(0.2)])).toEqual(new PyFloat(1 + 0.1 + 0.2));
    expect(neg(new PyFloat(0))).toEqual(new PyFloat(-0));
    expect(neg(0)).toBe(0);
  });
});

describe('upstream quirks kept by the airline tools', () => {
  const template = airlineTemplate();
  const booking = readTaubenchTasks(taubenchDir(), 'airline', 'test')
    .flatMap((t) => t.actions)
    .find((a) => a.name === 'book_reservation')!;

  it('a fourth booking overwrites HATHAV', () => {
    const s = new Sandbox(template);
    const kwargs = deepCopy(booking.kwargs);
    // Pay by credit card only, so the same booking can be repeated.
    const card = [...(parsePy(s.call('get_user_details', { user_id: kwargs.get('user_id') })) as PyDict).get('payment_methods') as PyDict]
      .find(([id]) => id.startsWith('credit_card'))![0];
    const total = /total price is (\d+)/.exec(s.call('book_reservation', new Map([...kwargs, ['payment_methods', []]])))![1]!;
    kwargs.set('payment_methods', [new Map<string, PyValue>([['payment_id', card], ['amount', Number(total)]])]);
    const ids = [1, 2, 3, 4].map(() => (parsePy(s.call('book_reservation', kwargs)) as PyDict).get('reservation_id'));
    expect(ids).toEqual(['HATHAT', 'HATHAU', 'HATHAV', 'HATHAV']);
    const user = parsePy(s.call('get_user_details', { user_id: kwargs.get('user_id') })) as PyDict;
    expect((user.get('reservations') as PyValue[]).slice(-4)).toEqual(['HATHAT', 'HATHAU', 'HATHAV', 'HATHAV']);
    expect(s.world.keys('reservations').slice(-3)).toEqual(['HATHAT', 'HATHAU', 'HATHAV']);
    s.close();
  });

  it('send_certificate issues three fixed ids, then reports what τ-bench would crash on', () => {
    const s = new Sandbox(template);
    const userId = template.table('users').keys[0]!;
    const outs = [1, 2, 3, 4].map((n) => s.call('send_certificate', { user_id: userId, amount: n * 100 }));
    expect(outs.slice(0, 3)).toEqual([
      `Certificate certificate_3221322 added to user ${userId} with amount 100.`,
      `Certificate certificate_3221323 added to user ${userId} with amount 200.`,
      `Certificate certificate_3221324 added to user ${userId} with amount 300.`,
    ]);
    expect(outs[3]).toMatch(/^Error: send_certificate returned no observation/);
    s.close();
  });

  it('one-stop next-day legs: unpadded date label, fields from the first day', () => {
    // All available dates in τ-bench's data are mid-month, so the padding quirk needs its own world.
    const day = (status: string, price: number): PyDict =>
      parsePy(`{"status": "${status}", "available_seats": {"economy": 9}, "prices": {"economy": ${price}}}`) as PyDict;
    const flight = (n: string, from: string, to: string, dep: string, arr: string, dates: [string, PyDict][]): PyDict =>
      new Map<string, PyValue>([
        ['flight_number', n], ['origin', from], ['destination', to],
        ['scheduled_departure_time_est', dep], ['scheduled_arrival_time_est', arr], ['dates', new Map(dates)],
      ]);
    const world = (secondLegDates: [string, PyDict][]): WorldTemplate =>
      WorldTemplate.build(
        airline,
        new Map([
          ['flights', new Map([
            ['HAT900', flight('HAT900', 'SFO', 'JFK', '20:00:00', '01:00:00+1', [['2024-05-05', day('available', 100)]])],
            ['HAT901', flight('HAT901', 'JFK', 'BOS', '08:00:00', '09:00:00', secondLegDates)],
          ])],
          ['reservations', new Map()],
          ['users', new Map()],
        ]),
      );
    const search = (t: WorldTemplate): PyValue => {
      const s = new Sandbox(t);
      const out = parsePy(s.call('search_onestop_flight', { origin: 'SFO', destination: 'BOS', date: '2024-05-05' }));
      s.close();
      return out;
    };
    // Zero-padded next day: `2024-05-{int("05")+1}` is `2024-05-6`, which is not a key.
    expect(search(world([['2024-05-05', day('available', 50)], ['2024-05-06', day('available', 60)]]))).toEqual([]);
    // With the unpadded key present, the leg is labelled with it but priced from 2024-05-05.
    const found = search(world([['2024-05-05', day('available', 50)], ['2024-05-6', day('available', 60)]]));
    expect(isList(found) && found.length).toBe(1);
    const second = ((found as PyValue[])[0] as PyValue[])[1] as PyDict;
    expect(second.get('date')).toBe('2024-05-6');
    expect((second.get('prices') as PyDict).get('economy')).toBe(50);
  });

  it('cancelling twice reverses the whole history again', () => {
    const s = new Sandbox(template);
    const id = template.table('reservations').keys[0]!;
    const before = (parsePy(s.call('get_reservation_details', { reservation_id: id })) as PyDict).get('payment_history') as PyValue[];
    s.call('cancel_reservation', { reservation_id: id });
    const after = parsePy(s.call('cancel_reservation', { reservation_id: id })) as PyDict;
    expect(after.get('status')).toBe('cancelled');
    expect((after.get('payment_history') as PyValue[]).length).toBe(before.length * 4);
    s.close();
  });
});
