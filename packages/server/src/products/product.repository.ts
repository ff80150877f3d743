import { sql, type Kysely, type SqlBool } from 'kysely';
import type { ProductListQuery, ProductPage } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

/** A page of products ordered by SKU, with the total that matches and all categories. */
export async function listProducts(
  db: Kysely<Database>,
  tenantId: number,
  query: ProductListQuery,
): Promise<ProductPage> {
  let qb = db.selectFrom('product').where('tenant_id', '=', tenantId);
  if (query.category) qb = qb.where('category', '=', query.category);
  if (query.q && query.q.trim() !== '') {
    const q = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb = qb.where((eb) => eb.or([eb('sku', 'ilike', q), eb('name', 'ilike', q)]));
  }
  let pageQb = qb.selectAll();
  if (query.cursor) {
    const [sku] = decodeCursor(query.cursor, ['string']);
    pageQb = pageQb.where(sql<SqlBool>`sku > ${sku}`);
  }
  const [rows, count, categories] = await Promise.all([
    pageQb
      .orderBy('sku')
      .limit(query.limit + 1)
      .execute(),
    qb.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    db
      .selectFrom('product')
      .select('category')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .orderBy('category')
      .execute(),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((p) => ({
      id: p.id,
      sku: p.sku,
      name: p.name,
      category: p.category,
      brand: p.brand,
      unit: p.unit,
      shelfLifeDays: p.shelf_life_days,
      listPrice: p.list_price,
      launchedOn: p.launched_on,
      status: p.status,
    })),
    total: count.total,
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.sku]) : null,
    categories: categories.map((c) => c.category),
  };
}
