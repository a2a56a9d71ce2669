/**
 * τ²-bench's retail world: products, users and orders as pydantic models, 16 tools in τ²'s
 * toolkit order. No user tools.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePy } from '../../py/parse.ts';
import { isDict } from '../../py/value.ts';
import { Tau2Db, Tau2DbTemplate, type Tau2DbSpec } from '../../sandbox/tau2/db.ts';
import { Tau2Environment } from '../../sandbox/tau2/environment.ts';
import type { Tau2World } from '../../sandbox/tau2/world.ts';
import { RetailDB } from './models.ts';
import { CLASS, type RetailCtx } from './toolkit.ts';
import { calculate } from './tools/calculate.ts';
import { cancelPendingOrder } from './tools/cancel_pending_order.ts';
import { exchangeDeliveredOrderItems } from './tools/exchange_delivered_order_items.ts';
import { findUserIdByEmail } from './tools/find_user_id_by_email.ts';
import { findUserIdByNameZip } from './tools/find_user_id_by_name_zip.ts';
import { getItemDetails } from './tools/get_item_details.ts';
import { getOrderDetails } from './tools/get_order_details.ts';
import { getProductDetails } from './tools/get_product_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllProductTypes } from './tools/list_all_product_types.ts';
import { modifyPendingOrderAddress } from './tools/modify_pending_order_address.ts';
import { modifyPendingOrderItems } from './tools/modify_pending_order_items.ts';
import { modifyPendingOrderPayment } from './tools/modify_pending_order_payment.ts';
import { modifyUserAddress } from './tools/modify_user_address.ts';
import { returnDeliveredOrderItems } from './tools/return_delivered_order_items.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';

export const RETAIL_DB: Tau2DbSpec = {
  model: RetailDB,
  collections: [
    { path: ['products'], kind: 'dict' },
    { path: ['users'], kind: 'dict' },
    { path: ['orders'], kind: 'dict' },
  ],
};

export const RETAIL_TOOLS = [
  calculate,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByNameZip,
  findUserIdByEmail,
  getOrderDetails,
  getProductDetails,
  getItemDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  transferToHumanAgents,
];

export function loadRetail(dir: string): Tau2World {
  const data = parsePy(readFileSync(join(dir, 'db.json'), 'utf8'));
  if (!isDict(data)) throw new Error(`${join(dir, 'db.json')}: expected a JSON object`);
  const template = Tau2DbTemplate.fromData(RETAIL_DB, data);
  const policy = readFileSync(join(dir, 'policy.md'), 'utf8');
  return {
    domain: 'retail',
    policy: () => policy,
    agentTools: () => RETAIL_TOOLS.map((t) => t.schema!),
    userTools: () => [],
    environment() {
      const db = new Tau2Db(template);
      const ctx: RetailCtx = { db };
      return new Tau2Environment({ domain: 'retail', agent: { className: CLASS, context: ctx, tools: RETAIL_TOOLS, dbHash: () => db.hash() } });
    },
    pristine: () => ({ dbHash: template.hash, userDbHash: null }),
  };
}
