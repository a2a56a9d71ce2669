import type { Intent, ItemRef, PaymentRef, Request } from './intent.ts';

/**
 * The templated instruction writer (the offline default): turns a structured intent into the
 * second-person hidden instruction a user simulator reads, in τ-bench's style.
 */
export function writeInstruction(intent: Intent): string {
  const parts: string[] = [`You are ${intent.user.name}. ${identityLine(intent)}`];
  intent.requests.forEach((r, i) => {
    const line = requestLine(r);
    parts.push(intent.requests.length > 1 ? `${ordinal(i)}, ${line[0]!.toLowerCase()}${line.slice(1)}` : line[0]!.toUpperCase() + line.slice(1));
  });
  parts.push(intent.confirms ? 'When the agent summarises an action that matches what you asked for, confirm it with a clear yes.' : '');
  if (intent.refuses.length) parts.push(`You do not accept: ${intent.refuses.join('; ')}.`);
  parts.push(`You are ${intent.persona.tone}.`);
  parts.push(intent.persona.forthcoming ? 'You give the details you have up front.' : 'You only answer what the agent asks.');
  return parts.filter(Boolean).join(' ');
}

function identityLine(intent: Intent): string {
  const id = intent.user.identity;
  if (id.method === 'email') return `Your email is ${id.email}.`;
  if (id.method === 'name_zip') return `You live in zip code ${id.zip}.`;
  return `Your user id is ${id.user_id}.`;
}

function ordinal(i: number): string {
  return ['First', 'Then', 'Finally'][Math.min(i, 2)]!;
}

function item(i: ItemRef): string {
  return `the ${i.product} (${Object.entries(i.options).map(([k, v]) => `${k}: ${v}`).join(', ')})`;
}

function options(o: Record<string, string>): string {
  return Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
}

export function paymentText(p: PaymentRef): string {
  const base = p.source === 'credit_card' ? `your credit card ending in ${p.last_four ?? ''}` : p.source === 'paypal' ? 'your PayPal account' : p.source === 'gift_card' ? 'your gift card' : 'your travel certificate';
  return p.id && p.source !== 'credit_card' ? `${base} ${p.id}` : p.id ? `${base} (${p.id})` : base;
}

function order(o: { order_id?: string | undefined; products: string[] }): string {
  return o.order_id ? `order ${o.order_id}` : `the order that contains ${o.products.join(' and ')} (you do not remember its id)`;
}

function requestLine(r: Request): string {
  switch (r.type) {
    case 'cancel_order':
      return `You want to cancel ${order(r.order)} because it is ${r.reason === 'no longer needed' ? 'no longer needed' : 'ordered by mistake'}.`;
    case 'modify_order_address':
    case 'modify_user_address': {
      const a = r.address;
      const where = r.type === 'modify_user_address' ? 'the default address on your account' : `the shipping address of ${order(r.order)}`;
      return `You want to change ${where} to ${a.address1}, ${a.address2}, ${a.city}, ${a.state} ${a.zip}, ${a.country}.`;
    }
    case 'modify_order_payment':
      return `You want ${order(r.order)} to be paid with ${paymentText(r.payment)} instead.`;
    case 'modify_order_items':
    case 'exchange_items': {
      const verb = r.type === 'exchange_items' ? 'exchange' : 'change';
      const what = r.changes.map((c) => `${item(c.item)} for one with ${options(c.to)}`).join('; and ');
      return `In ${order(r.order)} you want to ${verb} ${what}. Any price difference goes through ${paymentText(r.payment)}. These are all the items you want to ${verb}.`;
    }
    case 'return_items':
      return `You want to return ${r.items.map(item).join(' and ')} from ${order(r.order)}, with the refund going to ${paymentText(r.refund_to)}.${r.ask_refund_total ? ' You want to know how much you will get back.' : ''}`;
    case 'return_order':
      return `You want to return ${order(r.order)} (the ${r.order.products.join(' and ')}, for which you paid $${r.amount}) and get your money back.`;
    case 'order_status':
      return `You want to know the status of ${order(r.order)}.`;
    case 'other_users_order':
      return `Your friend ${r.owner} asked you to cancel their ${order(r.order)} for them; you try to get it cancelled.`;
    case 'damaged_items_refund':
      return `${item(r.items[0]!)} in ${order(r.order)} arrived damaged. You want your money back but want to keep the item, and you ask for a human agent if that cannot be done.`;
    case 'book': {
      const pax = r.passengers.map((p) => `${p.first_name} ${p.last_name} (born ${p.dob})`).join(', ');
      const trip = r.return_date ? `a round trip from ${r.origin} to ${r.destination}, leaving ${r.date} and returning ${r.return_date}` : `a one-way trip from ${r.origin} to ${r.destination} on ${r.date}`;
      return `You want to book ${trip} in ${r.cabin.replace('_', ' ')} for ${pax}. You only fly direct and take the ${r.preference} flight available. You have ${r.total_baggages} checked bags and ${r.insurance === 'yes' ? 'want' : 'do not want'} travel insurance. You pay with ${paymentText(r.payment)}.`;
    }
    case 'change_flight_date':
      return `You want to move reservation ${r.reservation_id} to ${r.new_date}, same route and cabin, taking the ${r.preference} direct flight that day. You pay or get refunded with ${paymentText(r.payment)}.`;
    case 'change_cabin':
      return `You want to change the cabin of reservation ${r.reservation_id} to ${r.cabin.replace('_', ' ')} for all flights, paying or getting refunded with ${paymentText(r.payment)}.${r.ask_price_difference ? ' You want to know the price difference.' : ''}`;
    case 'add_bags':
      return `You want to add ${r.add} checked bag${r.add > 1 ? 's' : ''} to reservation ${r.reservation_id}, paying any fee with ${paymentText(r.payment)}.`;
    case 'remove_bags':
      return `You want to remove ${r.remove} checked bag from reservation ${r.reservation_id} and get the fee back.`;
    case 'replace_passenger':
      return `In reservation ${r.reservation_id} you want to replace ${r.from.first_name} ${r.from.last_name} with ${r.to.first_name} ${r.to.last_name}, born ${r.to.dob}.`;
    case 'cancel_reservation':
      return `You want to cancel reservation ${r.reservation_id}; the reason is ${r.reason}.`;
    case 'compensation':
      return `A flight in reservation ${r.reservation_id} was cancelled by the airline. You complain about it and ask for compensation.`;
  }
}
