import type { IdentityT, ItemRef, PaymentRef, Request } from '../generate/intent.ts';
import type { Rng } from '../generate/prng.ts';

/**
 * What the scripted user says. Everything comes from its intent (it never names an id it does
 * not know); the tone picks among phrasings, deterministically per seed.
 */
export const CLARIFICATION = "Sorry, I don't follow. Could you tell me plainly what you need from me, or what you are going to do?";
export const GIVE_UP = 'This is going nowhere, I will try again later. ###STOP###';

export function payment(p: PaymentRef): string {
  const base = p.source === 'credit_card' ? `my credit card ending in ${p.last_four ?? ''}` : p.source === 'paypal' ? 'my PayPal account' : p.source === 'gift_card' ? 'my gift card' : 'my travel certificate';
  return p.id ? `${base} (${p.id})` : base;
}

function item(i: ItemRef): string {
  return `the ${i.product} (${Object.entries(i.options).map(([k, v]) => `${k}: ${v}`).join(', ')})`;
}

function order(o: { order_id?: string | undefined; products: string[] }): string {
  return o.order_id ? `order ${o.order_id}` : `my order with the ${o.products.join(' and ')} (I don't have the order number)`;
}

/**
 * The starter store's requests, kept short and regular (they are what a tiny model reads): the
 * order by id, and for a cancellation the reason.
 */
function starterRequestText(r: Request, full: boolean): string | undefined {
  switch (r.type) {
    case 'cancel_order':
      return full ? `Please cancel order ${r.order.order_id ?? ''}. Reason: ${r.reason}.` : 'I want to cancel an order.';
    case 'return_order':
      return full ? `I want to return order ${r.order.order_id ?? ''}.` : 'I want to return an order.';
    case 'order_status':
      return full ? `What is the status of order ${r.order.order_id ?? ''}?` : 'I want to check an order.';
    case 'other_users_order':
      return full ? `Please cancel order ${r.order.order_id ?? ''} for my friend ${r.owner}.` : "I want to cancel a friend's order.";
    default:
      return undefined;
  }
}

/**
 * One request in a sentence: brief (what) or with every detail the user knows (what + how).
 * `short`: the starter store's short phrasing (docs/dialogue-acts.md).
 */
export function requestText(r: Request, full: boolean, short = false): string {
  if (short) {
    const text = starterRequestText(r, full);
    if (text !== undefined) return text;
  }
  switch (r.type) {
    case 'return_order':
    case 'order_status':
      return starterRequestText(r, full)!;
    case 'cancel_order':
      return full ? `I want to cancel ${order(r.order)}; the reason is: ${r.reason}.` : 'I need to cancel an order.';
    case 'modify_order_address':
    case 'modify_user_address': {
      const a = r.address;
      const where = r.type === 'modify_user_address' ? 'the default address on my account' : full ? `the shipping address of ${order(r.order)}` : 'the shipping address of an order';
      return full ? `I want to change ${where} to ${a.address1}, ${a.address2 ? a.address2 + ', ' : ''}${a.city}, ${a.state} ${a.zip}, ${a.country}.` : `I need to change ${where}.`;
    }
    case 'modify_order_payment':
      return full ? `I want to pay for ${order(r.order)} with ${payment(r.payment)} instead.` : 'I want to change how an order is paid.';
    case 'modify_order_items':
    case 'exchange_items': {
      const verb = r.type === 'exchange_items' ? 'exchange' : 'change';
      if (!full) return `I want to ${verb} some items in an order.`;
      const what = r.changes.map((c) => `${item(c.item)} for one with ${Object.entries(c.to).map(([k, v]) => `${k}: ${v}`).join(', ')}`).join('; and ');
      return `In ${order(r.order)} I want to ${verb} ${what}. Any price difference goes through ${payment(r.payment)}. That's all the items.`;
    }
    case 'return_items':
      return full
        ? `I want to return ${r.items.map(item).join(' and ')} from ${order(r.order)}, refunded to ${payment(r.refund_to)}.${r.ask_refund_total ? ' How much will I get back?' : ''}`
        : 'I want to return some items.';
    case 'other_users_order':
      return full ? `My friend ${r.owner} asked me to cancel their ${order(r.order)}. Please cancel it.` : "I need to cancel a friend's order.";
    case 'damaged_items_refund':
      return full ? `${item(r.items[0]!)} in ${order(r.order)} arrived damaged. I want my money back but I'd like to keep it; if you can't, please get me a human agent.` : 'An item I received arrived damaged.';
    case 'book': {
      if (!full) return 'I want to book a flight.';
      const pax = r.passengers.map((p) => `${p.first_name} ${p.last_name} (born ${p.dob})`).join(', ');
      const trip = r.return_date ? `a round trip from ${r.origin} to ${r.destination}, leaving ${r.date} and returning ${r.return_date}` : `a one-way trip from ${r.origin} to ${r.destination} on ${r.date}`;
      return `I want to book ${trip} in ${r.cabin.replace('_', ' ')} for ${pax}. Direct flights only, the ${r.preference} one. ${r.total_baggages} checked bags, and ${r.insurance === 'yes' ? 'I want' : 'no'} travel insurance. I'll pay with ${payment(r.payment)}.`;
    }
    case 'change_flight_date':
      return full ? `I want to move reservation ${r.reservation_id} to ${r.new_date}, same route and cabin, on the ${r.preference} direct flight. Use ${payment(r.payment)} for any difference.` : 'I need to change the date of a flight.';
    case 'change_cabin':
      return full ? `I want to change reservation ${r.reservation_id} to ${r.cabin.replace('_', ' ')} on all flights, using ${payment(r.payment)}.${r.ask_price_difference ? ' What is the price difference?' : ''}` : 'I want to change the cabin of a reservation.';
    case 'add_bags':
      return full ? `I want to add ${r.add} checked bag${r.add > 1 ? 's' : ''} to reservation ${r.reservation_id}, paying any fee with ${payment(r.payment)}.` : 'I want to add checked bags.';
    case 'remove_bags':
      return full ? `I want to remove ${r.remove} checked bag from reservation ${r.reservation_id} and get the fee back.` : 'I want to remove a checked bag.';
    case 'replace_passenger':
      return full ? `In reservation ${r.reservation_id}, please replace ${r.from.first_name} ${r.from.last_name} with ${r.to.first_name} ${r.to.last_name}, born ${r.to.dob}.` : 'I need to change a passenger on a reservation.';
    case 'cancel_reservation':
      return full ? `I want to cancel reservation ${r.reservation_id}; the reason is ${r.reason}.` : 'I need to cancel a reservation.';
    case 'compensation':
      return full ? `A flight in reservation ${r.reservation_id} was cancelled by the airline. I'd like some compensation for that.` : 'The airline cancelled my flight and I am not happy.';
  }
}

export function identityText(id: IdentityT): string {
  if (id.method === 'email') return `My email is ${id.email}.`;
  if (id.method === 'name_zip') return `I'm ${id.first_name} ${id.last_name}, zip code ${id.zip}.`;
  return `My user id is ${id.user_id}.`;
}

/** Openers and sign-offs by tone (the persona's phrase picks a row). */
const STYLE: Readonly<Record<string, { hello: readonly string[]; yes: readonly string[]; thanks: readonly string[] }>> = {
  brief: { hello: ['Hi.'], yes: ['Yes.', 'Yes, go ahead.'], thanks: ['Thanks.'] },
  impatient: { hello: ['Hi, I need this sorted quickly.'], yes: ['Yes, go ahead.', 'Yes. Please just do it.'], thanks: ['Fine, thanks.'] },
  chatty: { hello: ['Hi there! Hope your day is going well.', 'Hello! Thanks for taking my call.'], yes: ['Yes, that sounds right, please go ahead!'], thanks: ['Thank you so much!'] },
  anxious: { hello: ['Hello, I hope you can help me with this.'], yes: ['Yes, that is right. Please go ahead.'], thanks: ['Thank you, that is a relief.'] },
  default: { hello: ['Hello.', 'Hi, good day.'], yes: ['Yes, please go ahead.', 'Yes, that is correct. Please proceed.'], thanks: ['Thank you.'] },
};

/** The same tones in a few words (the starter store: every word is something a tiny model reads). */
const SHORT_STYLE: typeof STYLE = {
  brief: { hello: ['Hi.'], yes: ['Yes.'], thanks: ['Thanks.'] },
  impatient: { hello: ['Hi, be quick please.'], yes: ['Yes, do it.'], thanks: ['Fine, thanks.'] },
  chatty: { hello: ['Hi there!', 'Hello there!'], yes: ['Yes, please!'], thanks: ['Thank you so much!'] },
  anxious: { hello: ['Hello, I hope you can help.'], yes: ['Yes, that is right.'], thanks: ['Thanks, what a relief.'] },
  default: { hello: ['Hello.', 'Hi.'], yes: ['Yes, please.', 'Yes.'], thanks: ['Thank you.'] },
};

export class UserVoice {
  private readonly style;
  /** `short`: the starter store's few-word phrasings. */
  constructor(
    tone: string,
    private readonly rng: Rng,
    private readonly short = false,
  ) {
    const styles = short ? SHORT_STYLE : STYLE;
    const key = Object.keys(styles).find((k) => tone.includes(k)) ?? 'default';
    this.style = styles[key]!;
  }

  hello(): string {
    return this.rng.pick(this.style.hello);
  }

  yes(): string {
    return this.rng.pick(this.style.yes);
  }

  thanks(): string {
    return this.rng.pick(this.style.thanks);
  }

  no(): string {
    return this.short ? "No, that's not what I asked." : "No, that's not what I asked for. Please don't do that.";
  }

  done(): string {
    return `${this.thanks()} ${this.short ? "That's all." : "That's all I needed."} ###STOP###`;
  }
}
