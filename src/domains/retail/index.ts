import type { Domain } from '../domain.ts';
import { userIndexes } from './indexes.ts';
import { calculate } from './tools/calculate.ts';
import { cancelPendingOrder } from './tools/cancel_pending_order.ts';
import { exchangeDeliveredOrderItems } from './tools/exchange_delivered_order_items.ts';
import { findUserIdByEmail } from './tools/find_user_id_by_email.ts';
import { findUserIdByNameZip } from './tools/find_user_id_by_name_zip.ts';
import { getOrderDetails } from './tools/get_order_details.ts';
import { getProductDetails } from './tools/get_product_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllProductTypes } from './tools/list_all_product_types.ts';
import { modifyPendingOrderAddress } from './tools/modify_pending_order_address.ts';
import { modifyPendingOrderItems } from './tools/modify_pending_order_items.ts';
import { modifyPendingOrderPayment } from './tools/modify_pending_order_payment.ts';
import { modifyUserAddress } from './tools/modify_user_address.ts';
import { returnDeliveredOrderItems } from './tools/return_delivered_order_items.ts';
import { think } from './tools/think.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';

/** τ-bench's retail store: users, orders and products, with its 16 tools in `ALL_TOOLS` order. */
export const retail: Domain = {
  name: 'retail',
  // The keys of τ-bench's data object (`load_data`); hashes sort them anyway.
  tables: ['orders', 'products', 'users'],
  tools: [
    calculate,
    cancelPendingOrder,
    exchangeDeliveredOrderItems,
    findUserIdByEmail,
    findUserIdByNameZip,
    getOrderDetails,
    getProductDetails,
    getUserDetails,
    listAllProductTypes,
    modifyPendingOrderAddress,
    modifyPendingOrderItems,
    modifyPendingOrderPayment,
    modifyUserAddress,
    returnDeliveredOrderItems,
    think,
    transferToHumanAgents,
  ],
  indexes: { users: userIndexes },
};
