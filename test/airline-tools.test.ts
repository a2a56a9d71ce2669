import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { airline } from '../src/domains/airline/index.ts';
import { toolDefinition } from '../src/sandbox/tool-schema.ts';
import { taubenchDir } from './support/airline-world.ts';

describe('airline tool definitions', () => {
  it('publish exactly τ-bench tools/airline.json (names, order, descriptions, parameters)', () => {
    const golden: unknown = JSON.parse(readFileSync(join(taubenchDir(), 'tools', 'airline.json'), 'utf8'));
    expect(airline.tools.map(toolDefinition)).toEqual(golden);
    // Key order too: models see the serialised text.
    expect(JSON.stringify(airline.tools.map(toolDefinition))).toBe(JSON.stringify(golden));
  });

  it('carry τ-bench Python signatures and kinds', () => {
    for (const t of airline.tools) {
      expect(t.py.module).toBe(`tau_bench.envs.airline.tools.${t.name}`);
      expect(t.py.className).toBe(t.name.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''));
    }
    const kinds = Object.fromEntries(airline.tools.map((t) => [t.name, t.kind]));
    expect(kinds).toMatchObject({ think: 'think', transfer_to_human_agents: 'terminate', book_reservation: 'write', get_user_details: 'read' });
    expect(airline.tools.filter((t) => t.kind === 'write').map((t) => t.name).sort()).toEqual([
      'book_reservation',
      'cancel_reservation',
      'send_certificate',
      'update_reservation_baggages',
      'update_reservation_flights',
      'update_reservation_passengers',
    ]);
  });
});
