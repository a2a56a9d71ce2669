import type { ChatMessage } from '../chat/messages.ts';

/** An item or variant as a read tool showed it. */
export interface ItemFact {
  product: string;
  productId: string;
  options: Record<string, string>;
}

export interface PaymentFact {
  source: string;
  lastFour?: string;
}

/**
 * What the agent has learnt from tool observations, so it can describe a write in words the
 * user can check (item ids → product and options, payment ids → kind and last four). Built from
 * the observations only: an agent describes what it saw, not what the task says.
 */
export class Facts {
  readonly items = new Map<string, ItemFact>();
  readonly payments = new Map<string, PaymentFact>();
  /** Order id → item ids in it; user's order / reservation lists; reservation → bags. */
  readonly orderItems = new Map<string, string[]>();
  readonly bags = new Map<string, number>();
  /** Order id → its amount (the starter store's orders carry one). */
  readonly amounts = new Map<string, number>();
  /** Order and reservation ids listed in the user's profile. */
  readonly own = new Set<string>();
  private seen = 0;

  /** Reads the tool observations not read yet. */
  update(messages: readonly ChatMessage[]): void {
    for (; this.seen < messages.length; this.seen++) {
      const m = messages[this.seen]!;
      if (m.role !== 'tool' || !m.content.startsWith('{')) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(m.content);
      } catch {
        continue;
      }
      this.walk(doc, undefined);
    }
  }

  private walk(v: unknown, product: { name: string; id: string } | undefined): void {
    if (Array.isArray(v)) {
      for (const x of v) this.walk(x, product);
      return;
    }
    if (!isObj(v)) return;
    const name = typeof v.name === 'string' ? v.name : undefined;
    const productId = typeof v.product_id === 'string' ? v.product_id : undefined;
    const here = name && productId && isObj(v.variants) ? { name, id: productId } : product;
    if (typeof v.item_id === 'string' && isObj(v.options)) {
      const p = name ?? here?.name;
      const pid = productId ?? here?.id;
      if (p && pid) this.items.set(v.item_id, { product: p, productId: pid, options: stringMap(v.options) });
    }
    if (typeof v.order_id === 'string' && Array.isArray(v.items)) {
      this.orderItems.set(v.order_id, v.items.filter(isObj).map((i) => i.item_id).filter((x): x is string => typeof x === 'string'));
    }
    if (typeof v.order_id === 'string' && typeof v.amount === 'number') this.amounts.set(v.order_id, v.amount);
    if (typeof v.reservation_id === 'string' && typeof v.total_baggages === 'number') this.bags.set(v.reservation_id, v.total_baggages);
    for (const list of [v.orders, v.reservations]) if (Array.isArray(list)) for (const id of list) if (typeof id === 'string') this.own.add(id);
    if (isObj(v.payment_methods)) {
      for (const [id, m] of Object.entries(v.payment_methods)) {
        if (!isObj(m) || typeof m.source !== 'string') continue;
        const f: PaymentFact = { source: m.source };
        if (typeof m.last_four === 'string') f.lastFour = m.last_four;
        this.payments.set(id, f);
      }
    }
    for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) this.walk(x, here);
  }

  /** Other variants of the item's product (from a product look-up), for a near-miss. */
  variantsOf(productId: string): string[] {
    return [...this.items.entries()].filter(([, f]) => f.productId === productId).map(([id]) => id);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, String(x)]));
}
