import type { WorldData } from '../../domains/domain.ts';
import { ORDER_IDS, USER_IDS } from '../../domains/starter/ids.ts';
import { dict, type PyDict } from '../../py/value.ts';
import { Rng } from '../prng.ts';

export interface StarterWorldOptions {
  users: number;
}

/** The starter world's default size: 60 of the 90 user ids, 1–3 orders each. */
export const STARTER_DEFAULTS: StarterWorldOptions = { users: 60 };

/** Short first names (a user is named by one). */
export const STARTER_NAMES = [
  'Ada', 'Ali', 'Amy', 'Ben', 'Bo', 'Cara', 'Dan', 'Eli', 'Emma', 'Eva', 'Finn', 'Gus', 'Hana', 'Ian', 'Ivy', 'Jon',
  'Joy', 'Kai', 'Kim', 'Lea', 'Leo', 'Lou', 'Max', 'Mei', 'Mia', 'Ned', 'Nia', 'Noah', 'Nora', 'Omar', 'Pia', 'Raj',
  'Rosa', 'Sam', 'Sue', 'Ted', 'Tom', 'Uma', 'Wei', 'Zoe',
] as const;

/** Items (one per order) and the range of whole-dollar amounts each sells for. */
export const STARTER_ITEMS: readonly (readonly [string, number, number])[] = [
  ['lamp', 15, 60], ['mug', 5, 20], ['backpack', 30, 90], ['headphones', 40, 250], ['keyboard', 25, 120],
  ['mouse', 10, 60], ['kettle', 20, 80], ['toaster', 25, 90], ['blender', 30, 150], ['water bottle', 8, 35],
  ['yoga mat', 15, 70], ['phone case', 8, 40], ['sneakers', 45, 160], ['jacket', 50, 220], ['umbrella', 10, 40],
  ['notebook', 3, 15], ['desk chair', 80, 300], ['sunglasses', 15, 150], ['watch', 40, 300], ['tent', 60, 280],
];

/** Order statuses and how often they occur (`return requested` is also what `return_order` sets). */
const STATUS_WEIGHTS: readonly (readonly [string, number])[] = [
  ['pending', 35],
  ['processed', 15],
  ['delivered', 35],
  ['cancelled', 10],
  ['return requested', 5],
];

/**
 * A starter world: `users` (`{user_id, name, orders}`) and `orders` (`{order_id, user_id, item,
 * amount, status}`), a pure function of the seed and size. Ids are drawn without repetition from
 * the fixed id spaces every seed shares (src/domains/starter/ids.ts); orders are listed user by user.
 */
export function generateStarterWorld(seed: string | number, opts: Partial<StarterWorldOptions> = {}): WorldData {
  const o = { ...STARTER_DEFAULTS, ...opts };
  if (!Number.isInteger(o.users) || o.users < 1 || o.users > USER_IDS.length) {
    throw new Error(`a starter world holds 1 to ${USER_IDS.length} users (the id space u10…u99), not ${o.users}`);
  }
  const rng = new Rng(`starter-world/${String(seed)}`);
  const userIds = rng.fork('user-ids').sample(USER_IDS, o.users);
  const orderIds = rng.fork('order-ids').shuffle(ORDER_IDS);
  const people = rng.fork('users');
  const shop = rng.fork('orders');
  const users = new Map<string, PyDict>();
  const orders = new Map<string, PyDict>();
  let next = 0;
  for (const userId of userIds) {
    const mine: string[] = [];
    const n = shop.int(1, 3);
    for (let i = 0; i < n; i++) {
      const orderId = orderIds[next++]!;
      const [item, lo, hi] = shop.pick(STARTER_ITEMS);
      orders.set(
        orderId,
        dict([
          ['order_id', orderId],
          ['user_id', userId],
          ['item', item],
          ['amount', shop.int(lo, hi)],
          ['status', shop.weighted(STATUS_WEIGHTS)],
        ]),
      );
      mine.push(orderId);
    }
    users.set(userId, dict([['user_id', userId], ['name', people.pick(STARTER_NAMES)], ['orders', mine]]));
  }
  return new Map([
    ['users', users],
    ['orders', orders],
  ]);
}
