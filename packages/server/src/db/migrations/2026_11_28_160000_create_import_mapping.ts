import { sql, type Kysely } from 'kysely';

/**
 * Saved import mappings (issue 3): how a tenant's files of one kind map onto Tierline's fields,
 * by name, as the ImportMapping JSON of the contract. Row-level security like every tenant
 * table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table import_mapping (
      tenant_id bigint not null references tenant (id) on delete cascade,
      name text not null,
      kind text not null,
      mapping jsonb not null,
      updated_at timestamptz(3) not null default now(),
      updated_by text not null,
      primary key (tenant_id, name)
    );
    alter table import_mapping enable row level security;
    create policy tenant_isolation on import_mapping to tierline_app
      using (tenant_id = tierline_current_tenant()) with check (tenant_id = tierline_current_tenant());
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists import_mapping`.execute(db);
}
