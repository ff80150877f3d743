// What the AdventureWorks worked example put into a tenant, read straight from the database
// (docs/import-adventureworks.md). Run it after the imports, with no `tierline serve` running on
// the same embedded database (PGlite serves one process at a time):
//
//   node docs/examples/adventureworks/check.mjs [tenant]          (default tenant: aw)
//
// The embedded database is TIERLINE_DATA_DIR or ./data; with DATABASE_URL set, PostgreSQL.

const tenant = process.argv[2] ?? 'aw';

/** Run SQL with positional parameters and return the rows; amounts come back as text. */
async function connect() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      query: async (text, params) => (await client.query(text, params)).rows,
      close: () => client.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: process.env.TIERLINE_DATA_DIR ?? './data' });
  return {
    query: async (text, params) => (await db.query(text, params)).rows,
    close: () => db.close(),
  };
}

const money = (column) => `to_char(${column} / 100.0, 'FM999,999,999,990.00')`;

const db = await connect();
try {
  const [t] = await db.query('select id, currency from tenant where slug = $1', [tenant]);
  if (!t) throw new Error(`no tenant "${tenant}"`);
  const id = t.id;
  const [c] = await db.query(
    `select
       (select count(*) from region where tenant_id = $1 and level = 'area')::text as territories,
       (select count(*) from region where tenant_id = $1 and level = 'city')::text as cities,
       (select count(*) from dealer where tenant_id = $1)::text as dealers,
       (select count(distinct dealer_id) from order_line where tenant_id = $1)::text as dealers_with_sales,
       (select count(*) from product where tenant_id = $1)::text as products,
       (select count(distinct product_id) from order_line where tenant_id = $1)::text as products_sold,
       (select count(*) from order_line where tenant_id = $1)::text as order_lines,
       (select count(distinct order_no) from order_line where tenant_id = $1)::text as orders,
       (select min(ordered_on)::text || ' .. ' || max(ordered_on)::text
          from order_line where tenant_id = $1) as dates,
       (select sum(quantity)::text from order_line where tenant_id = $1) as quantity,
       (select sum(amount)::text from order_line where tenant_id = $1) as sales_minor,
       (select ${money('sum(amount)')} from order_line where tenant_id = $1) as sales,
       (select ${money('sum(sales_amount)')} from dealer_month where tenant_id = $1) as rollup_sales,
       (select count(*) from dealer_month where tenant_id = $1 and sales_amount <> 0)::text
         as dealer_months_with_sales`,
    [id],
  );
  console.log(`tenant ${tenant} (${t.currency})`);
  for (const [key, value] of Object.entries(c)) console.log(`  ${key.padEnd(25)} ${value}`);

  const territories = await db.query(
    `select t.code, t.name, count(distinct d.id)::text as dealers,
            ${money('coalesce(sum(m.sales_amount), 0)')} as sales
     from region t
     join region c on c.tenant_id = t.tenant_id and c.parent_id = t.id
     join dealer d on d.tenant_id = t.tenant_id and d.region_id = c.id
     left join dealer_month m on m.tenant_id = d.tenant_id and m.dealer_id = d.id
     where t.tenant_id = $1 and t.level = 'area'
     group by t.code, t.name order by length(t.code), t.code`,
    [id],
  );
  console.log('sales by territory (from the monthly rollups)');
  for (const r of territories) {
    console.log(
      `  ${r.code.padEnd(4)} ${r.name.padEnd(15)} ${r.dealers.padStart(4)} dealers ${r.sales.padStart(14)}`,
    );
  }
} finally {
  await db.close();
}
