import { sql, type Kysely } from 'kysely';

/**
 * The verifiable ledger (issue 8): one append-only transparency log per tenant.
 *
 * - `ledger_log`: the tenant's log: its origin (name), verifier key, size, and where its signer
 *   key is kept (`database`: in `ledger_signer`; `file`: in the configured key directory).
 * - `ledger_signer`: signer keys kept in the database. The request role has no privilege on it
 *   at all: only the server's own connection signs checkpoints.
 * - `ledger_entry`: each record (canonical JSON), its salt and its commitment, at its index.
 * - `ledger_hash`: the stored subtree hashes (Go tlog layout) tiles and proofs are read from.
 * - `ledger_checkpoint`: every signed checkpoint issued, by tree size.
 * - `assessment_input`: the recorded inputs of an assessment run (docs/ledger.md "Replay"),
 *   frozen with the run's decisions once it is published.
 *
 * The request role may append (insert entries and hashes, advance the size) but never change or
 * delete anything here; tampering by anyone else is what verification detects.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table ledger_log (
      tenant_id bigint primary key references tenant (id) on delete cascade,
      origin text not null,
      verifier_key text not null,
      signer_location text not null default 'database'
        check (signer_location in ('database', 'file')),
      size bigint not null default 0 check (size >= 0),
      created_at timestamptz(3) not null default now()
    );

    create table ledger_signer (
      tenant_id bigint primary key references tenant (id) on delete cascade,
      signer_key text not null
    );

    create table ledger_entry (
      tenant_id bigint not null references tenant (id) on delete cascade,
      idx bigint not null check (idx >= 0),
      kind text not null,
      commitment bytea not null,
      record text not null,
      salt bytea not null,
      dealer_id bigint,
      period text,
      ref_id bigint,
      created_at timestamptz(3) not null default now(),
      primary key (tenant_id, idx)
    );
    create index ledger_entry_dealer_idx on ledger_entry (tenant_id, dealer_id, idx)
      where dealer_id is not null;
    create index ledger_entry_kind_idx on ledger_entry (tenant_id, kind, idx);

    create table ledger_hash (
      tenant_id bigint not null references tenant (id) on delete cascade,
      idx bigint not null check (idx >= 0),
      hash bytea not null,
      primary key (tenant_id, idx)
    );

    create table ledger_checkpoint (
      tenant_id bigint not null references tenant (id) on delete cascade,
      size bigint not null check (size >= 0),
      root bytea not null,
      note text not null,
      created_at timestamptz(3) not null default now(),
      primary key (tenant_id, size)
    );

    create table assessment_input (
      tenant_id bigint not null,
      run_id bigint not null,
      digest text not null,
      data bytea not null,
      primary key (tenant_id, run_id),
      foreign key (tenant_id, run_id) references assessment_run (tenant_id, id) on delete cascade
    );
    create function tierline_published_input_guard() returns trigger
    language plpgsql as $$
    begin
      if exists (select 1 from assessment_run r
                 where r.tenant_id = old.tenant_id and r.id = old.run_id and r.status = 'published') then
        raise exception 'the recorded inputs of a published assessment run cannot be changed'
          using errcode = 'check_violation';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;
    create trigger assessment_input_published_guard before update or delete on assessment_input
      for each row execute function tierline_published_input_guard();
  `.execute(db);

  for (const table of [
    'ledger_log',
    'ledger_signer',
    'ledger_entry',
    'ledger_hash',
    'ledger_checkpoint',
    'assessment_input',
  ]) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy tenant_isolation on ${sql.table(table)} to tierline_app
        using (tenant_id = tierline_current_tenant()) with check (tenant_id = tierline_current_tenant());
    `.execute(db);
  }
  await sql`
    revoke all on ledger_signer from tierline_app;
    revoke update, delete on ledger_entry, ledger_hash, ledger_checkpoint from tierline_app;
    revoke insert on ledger_checkpoint from tierline_app;
    revoke insert, update, delete on ledger_log from tierline_app;
    grant update (size) on ledger_log to tierline_app;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists assessment_input, ledger_checkpoint, ledger_hash, ledger_entry,
      ledger_signer, ledger_log cascade;
    drop function if exists tierline_published_input_guard();
  `.execute(db);
}
