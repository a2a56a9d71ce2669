import type { Address, ItemRef, PaymentRef, Request } from '../generate/intent.ts';

/**
 * The scripted user's reading of an agent's confirmation text against one request of its
 * intent (docs/dialogue-acts.md, "checking a confirmation"). Checks are on facts the user knows:
 * every one must be present, and some must not be contradicted (another card's last four digits,
 * an extra product of the same order, the other cabin). Presence checks cannot see a wrong value
 * when the wanted one also appears elsewhere in the text; the verifier still scores such a write.
 */
export interface CheckResult {
  ok: boolean;
  /** Facts missing or contradicted (kept for the record, never shown to the agent). */
  problems: string[];
}

/** Which request a write proposal is about: words that name its kind. */
export const REQUEST_WORDS: Readonly<Record<Request['type'], RegExp>> = {
  cancel_order: /\bcancel/i,
  other_users_order: /\bcancel/i,
  modify_order_address: /\baddress\b/i,
  modify_user_address: /\baddress\b/i,
  modify_order_payment: /\b(pay|payment|paid|charge)/i,
  modify_order_items: /\b(chang|modif|swap|switch|replac|updat)/i,
  exchange_items: /\bexchang/i,
  return_items: /\b(return|refund)/i,
  return_order: /\b(return|refund)/i,
  order_status: /\bstatus\b/i,
  damaged_items_refund: /\b(refund|return|damaged)/i,
  book: /\bbook/i,
  change_flight_date: /\b(flight|date|rebook|move)/i,
  change_cabin: /\b(cabin|upgrad|downgrad|business|economy)/i,
  add_bags: /\bbag/i,
  remove_bags: /\bbag/i,
  replace_passenger: /\b(passenger|replac|travell?er)/i,
  cancel_reservation: /\bcancel/i,
  compensation: /\b(certificate|compensat|voucher|credit)/i,
};

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word presence; short values (sizes like "M") must match case too. */
export function mentions(text: string, value: string): boolean {
  if (value === '') return true;
  let re = wordRes.get(value);
  if (!re) {
    if (wordRes.size > 10_000) wordRes.clear();
    re = new RegExp(`(^|[^A-Za-z0-9])${esc(value)}($|[^A-Za-z0-9])`, value.length <= 3 ? '' : 'i');
    wordRes.set(value, re);
  }
  return re.test(text);
}

/** Compiled word patterns by value (bounded): checks run on every confirmation. */
const wordRes = new Map<string, RegExp>();

class Checker {
  readonly problems: string[] = [];
  constructor(readonly text: string) {}

  has(value: string, what: string): void {
    if (!mentions(this.text, value) && !mentions(this.text.replaceAll(',', ''), value.replaceAll(',', ''))) this.problems.push(`missing ${what} '${value}'`);
  }

  not(value: string, what: string): void {
    if (mentions(this.text, value)) this.problems.push(`unexpected ${what} '${value}'`);
  }

  order(o: { order_id?: string | undefined; products: string[] }, only?: string[]): void {
    if (o.order_id) {
      if (!mentions(this.text, o.order_id) && !mentions(this.text, o.order_id.replace(/^#/, ''))) this.problems.push(`missing order id '${o.order_id}'`);
    } else for (const p of only ?? o.products) this.has(p, 'product');
  }

  payment(p: PaymentRef): void {
    const kind = { credit_card: /\b(credit|debit|visa|mastercard|amex|card ending)/i, paypal: /\bpay ?pal\b/i, gift_card: /\bgift ?card\b/i, certificate: /\bcertificate\b/i }[p.source];
    if (!kind.test(this.text) && !(p.id && mentions(this.text, p.id))) this.problems.push(`missing payment kind '${p.source}'`);
    if (p.last_four) {
      const others = [...this.text.matchAll(/ending (?:in|with) (\d{4})/gi)].map((m) => m[1]).filter((d) => d !== p.last_four);
      if (others.length) this.problems.push(`another card ending in ${others[0]}`);
    }
    if (p.id) this.has(p.id, 'payment id');
  }

  item(i: ItemRef, options: Record<string, string> = i.options): void {
    this.has(i.product, 'product');
    for (const v of Object.values(options)) this.has(v, `${i.product} option`);
  }

  address(a: Address): void {
    for (const f of ['address1', 'address2', 'city', 'zip'] as const) this.has(a[f], f);
  }

  cabin(c: string): void {
    const words = c.replace('_', ' ');
    if (c === 'economy') {
      if (!/\beconomy\b/i.test(this.text.replace(/basic economy/gi, ''))) this.problems.push('missing cabin economy');
    } else this.has(words, 'cabin');
  }
}

export function checkConfirmation(r: Request, text: string): CheckResult {
  const c = new Checker(text);
  switch (r.type) {
    case 'cancel_order':
      c.order(r.order);
      c.has(r.reason, 'reason');
      break;
    case 'other_users_order':
      c.order(r.order);
      break;
    case 'modify_order_address':
      c.order(r.order);
      c.address(r.address);
      break;
    case 'modify_user_address':
      c.address(r.address);
      break;
    case 'modify_order_payment':
      c.order(r.order);
      c.payment(r.payment);
      break;
    case 'modify_order_items':
    case 'exchange_items':
      c.order(r.order, []);
      for (const ch of r.changes) c.item(ch.item, ch.to);
      c.payment(r.payment);
      break;
    case 'return_items': {
      c.order(r.order, []);
      for (const i of r.items) c.item(i);
      const wanted = new Set(r.items.map((i) => i.product));
      for (const p of r.order.products) if (!wanted.has(p)) c.not(p, 'product');
      c.payment(r.refund_to);
      break;
    }
    case 'return_order':
      c.order(r.order);
      // The refund amount, not a number inside an order id ("#412" does not state $412).
      if (!mentions(text.replace(/#\w+/g, ' ').replaceAll(',', ''), String(r.amount))) c.problems.push(`missing refund amount '${r.amount}'`);
      break;
    case 'order_status':
      // A question changes nothing: there is no write to agree to.
      c.problems.push('a change, but the user only asked for the status');
      break;
    case 'damaged_items_refund':
      // The user keeps the item: a return is not what they asked for.
      if (/\breturn/i.test(text)) c.problems.push('a return, but the user keeps the item');
      c.order(r.order, []);
      break;
    case 'book':
      for (const v of [r.origin, r.destination, r.date, r.return_date ?? '']) c.has(v, 'trip detail');
      c.cabin(r.cabin);
      for (const p of r.passengers) for (const v of [p.first_name, p.last_name]) c.has(v, 'passenger');
      if (!new RegExp(`\\b${r.total_baggages} (checked )?bags?\\b`, 'i').test(text)) c.problems.push(`missing bag count ${r.total_baggages}`);
      if (r.insurance === 'yes' ? /\b(without|no) (travel )?insurance\b/i.test(text) || !/insurance/i.test(text) : !/\b(without|no) (travel )?insurance\b/i.test(text)) c.problems.push(`insurance should be ${r.insurance}`);
      c.payment(r.payment);
      break;
    case 'change_flight_date':
      c.has(r.reservation_id, 'reservation id');
      c.has(r.new_date, 'date');
      c.payment(r.payment);
      break;
    case 'change_cabin':
      c.has(r.reservation_id, 'reservation id');
      c.cabin(r.cabin);
      c.payment(r.payment);
      break;
    case 'add_bags':
      c.has(r.reservation_id, 'reservation id');
      if (!new RegExp(`\\badd ${r.add} (checked )?bags?\\b`, 'i').test(text)) c.problems.push(`missing 'add ${r.add} bags'`);
      c.payment(r.payment);
      break;
    case 'remove_bags':
    case 'cancel_reservation':
      c.has(r.reservation_id, 'reservation id');
      break;
    case 'compensation':
      // The user knows no amount: naming a certificate (REQUEST_WORDS) is all it can check.
      break;
    case 'replace_passenger':
      c.has(r.reservation_id, 'reservation id');
      for (const v of [r.to.first_name, r.to.last_name, r.to.dob]) c.has(v, 'passenger');
      break;
  }
  return { ok: c.problems.length === 0, problems: c.problems };
}
