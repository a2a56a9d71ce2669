import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature } from './common.ts';

export const getProductDetails: Tool = {
  name: 'get_product_details',
  description: 'Get the inventory details of a product.',
  kind: 'read',
  schema: z.object({
    product_id: z
      .string()
      .describe("The product id, such as '6086499569'. Be careful the product id is different from the item id."),
  }),
  py: signature('get_product_details', 'GetProductDetails', ['product_id']),
  run(world, { product_id }) {
    const products = world.table('products');
    return products.has(product_id) ? dumps(products.get(product_id)) : 'Error: product not found';
  },
};
