import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { lessThan, getItem } from '../../../py/ops.ts';
import { pyStr } from '../../../py/repr.ts';
import type { PyDict, PyValue } from '../../../py/value.ts';
import type { WorldTemplate } from '../../../sandbox/template.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import type { World } from '../../../sandbox/world.ts';
import { signature } from './common.ts';

// No retail tool writes products, so the listing of an untouched products table is computed
// once per template instead of parsing all 50 products on every call.
const cache = new WeakMap<WorldTemplate, string>();

function listing(world: World): string {
  const byName = new Map<string, PyValue>();
  for (const [, product] of world.table('products').items()) {
    const name = getItem(product, 'name');
    // Product names are strs in any data τ-bench can load; keep the key text Python would use.
    byName.set(typeof name === 'string' ? name : pyStr(name), getItem(product, 'product_id'));
  }
  const entries = [...byName].sort((a, b) => (lessThan(a[0], b[0]) ? -1 : lessThan(b[0], a[0]) ? 1 : 0));
  const out: PyDict = new Map(entries);
  return dumps(out);
}

export const listAllProductTypes: Tool = {
  name: 'list_all_product_types',
  description:
    'List the name and product id of all product types. Each product type has a variety of different items with unique item ids and options. There are only 50 product types in the store.',
  kind: 'read',
  schema: z.object({}),
  py: signature('list_all_product_types', 'ListAllProductTypes', []),
  run(world) {
    if (world.dirtyKeys('products').size > 0) return listing(world);
    let text = cache.get(world.template);
    if (text === undefined) cache.set(world.template, (text = listing(world)));
    return text;
  },
};
