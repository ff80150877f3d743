import { z } from 'zod';
import { Cursor, IsoDate, Limit, Money, pageOf } from './common.js';

export const Product = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  brand: z.string().nullable(),
  unit: z.string(),
  shelfLifeDays: z.number().int().nullable().describe('Shelf life in days; null if unlimited'),
  listPrice: Money.describe('List price per unit, minor units'),
  launchedOn: IsoDate.nullable(),
  status: z.enum(['active', 'discontinued']),
});
export type Product = z.infer<typeof Product>;

export const ProductListQuery = z.object({
  category: z.string().max(100).optional().describe('Only this category'),
  q: z.string().max(100).optional().describe('Search SKU or name (case-insensitive substring)'),
  cursor: Cursor,
  limit: Limit,
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

export const ProductPage = pageOf(Product).extend({
  categories: z.array(z.string()).describe('All product categories of the tenant'),
});
export type ProductPage = z.infer<typeof ProductPage>;
