import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import {
  defaultPolicy,
  fromBase64,
  leafHash,
  openCheckpoint,
  parseEntryBundle,
  storedHashes,
  storedHashCount,
  storedHashIndex,
  hashReaderFrom,
  toHex,
  verifyConsistency,
  verifyInclusion,
  verifyLog,
  verifyResume,
  type LogFetch,
  type SeenCheckpoint,
} from '@tierline/core';
import type {
  ConsistencyProof,
  InclusionProof,
  LedgerEntryDetail,
  LedgerEntryPage,
  LedgerInfo,
  ReplayResult,
  Resume,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { sessionHeaders } from '../test/factories.js';
import { unique } from '../test/test-store.js';
import { createTenant } from '../tenants/tenant.repository.js';
import { loadDemo } from '../demo/demo.service.js';
import { appendRecords, checkLedger, ensureCheckpoint } from './ledger.service.js';
import { withTenant } from '../db/tenant-scope.js';

let store: TestStore;
let app: FastifyInstance;
const A = { id: 0, slug: 'ledger-a' };
const B = { id: 0, slug: 'ledger-b' };
type Who = 'admin' | 'manager' | 'analyst' | 'dealer';
const as: Record<'A' | 'B', Record<Who, Record<string, string>>> = {
  A: {} as never,
  B: {} as never,
};
let ownDealer = { id: 0, code: '' };
let dealersA = 0;
/** The demo's resource records of A: allocation lines and rebate settlements, all and own. */
let linesA = 0;
let settlementsA = 0;
let ownResources = 0;
/** One policy version, 12 runs and their decisions; benefit values, 2 allocations and their lines, the settlements. */
let sizeA = 0;

async function headersOf(tenantId: number): Promise<Record<Who, Record<string, string>>> {
  const users = await store.db
    .selectFrom('app_user')
    .select(['id', 'login'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const out = {} as Record<Who, Record<string, string>>;
  for (const u of users) out[u.login as Who] = await sessionHeaders(store.db, tenantId, u.id);
  return out;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

/** The public tiles of a log, fetched as an outside verifier would. */
const tilesOf =
  (slug: string): LogFetch =>
  async (path) => {
    const res = await get(`/ledger/${slug}/${path}`);
    if (res.statusCode === 404) return null;
    expect(res.statusCode).toBe(200);
    return new Uint8Array(res.rawPayload);
  };

async function vkeyOf(slug: string): Promise<string> {
  return (await get(`/ledger/${slug}/vkey`)).body.trim();
}

beforeAll(async () => {
  store = await createTestStore();
  A.id = (
    await loadDemo(store, { dealers: 40, months: 13, seed: 5, endMonth: '2025-06', slug: A.slug })
  ).tenantId;
  B.id = (
    await loadDemo(store, { dealers: 20, months: 6, seed: 6, endMonth: '2025-06', slug: B.slug })
  ).tenantId;
  as.A = await headersOf(A.id);
  as.B = await headersOf(B.id);
  const own = await store.db
    .selectFrom('app_user')
    .innerJoin('dealer', 'dealer.id', 'app_user.dealer_id')
    .select(['dealer.id', 'dealer.code'])
    .where('app_user.tenant_id', '=', A.id)
    .where('app_user.login', '=', 'dealer')
    .executeTakeFirstOrThrow();
  ownDealer = own;
  const runs = await store.db
    .selectFrom('assessment_run')
    .select((eb) => eb.fn.sum<number>('dealer_count').as('n'))
    .where('tenant_id', '=', A.id)
    .where('status', '=', 'published')
    .executeTakeFirstOrThrow();
  dealersA = Number(runs.n);
  const count = async (table: 'budget_allocation_line' | 'rebate_settlement', dealer?: number) => {
    let q = store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', A.id);
    if (dealer !== undefined) q = q.where('dealer_id', '=', dealer);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  linesA = await count('budget_allocation_line');
  settlementsA = await count('rebate_settlement');
  ownResources =
    (await count('budget_allocation_line', own.id)) + (await count('rebate_settlement', own.id));
  sizeA = 1 + 12 + dealersA + 1 + 2 + linesA + settlementsA;
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    store,
    defaultTenant: A.slug,
    version: 'test',
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

describe('every published decision is in the tenant’s log', () => {
  it('appends the policy version, each published run and each of its decisions', async () => {
    const res = await get('/api/v1/ledger', as.A.admin);
    expect(res.statusCode).toBe(200);
    const info = res.json<LedgerInfo>();
    // One policy version, then per published month one run record and its decisions; then the
    // demo's resources: the benefit values, two published allocations with a line per dealer,
    // and the rebate settlements.
    expect(linesA).toBeGreaterThan(0);
    expect(settlementsA).toBeGreaterThan(0);
    expect(info.size).toBe(sizeA);
    expect(info.checkpointSize).toBe(info.size);
    expect(info.origin).toBe(`localhost/ledger/${A.slug}`);
    expect(info.verifierKey.startsWith(`${info.origin}+`)).toBe(true);
    expect(info.tiles).toBe(`/ledger/${A.slug}/`);
    const kinds = await store.db
      .selectFrom('ledger_entry')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', A.id)
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      policy_version: 1,
      assessment_run: 12,
      tier_decision: dealersA,
      benefit_values: 1,
      budget_allocation: 2,
      allocation_line: linesA,
      rebate_settlement: settlementsA,
    });
  });

  it('publishes a checkpoint signed by the tenant’s key, readable without signing in', async () => {
    const res = await get(`/ledger/${A.slug}/checkpoint`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['cache-control']).toContain('max-age=5');
    const vkey = await vkeyOf(A.slug);
    const { checkpoint } = openCheckpoint(res.body, {
      origin: `localhost/ledger/${A.slug}`,
      verifiers: [vkey],
    });
    expect(checkpoint.size).toBe(sizeA);
    const tile = await get(`/ledger/${A.slug}/tile/0/000`);
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('application/octet-stream');
    expect(tile.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(tile.rawPayload.length).toBe(256 * 32);
  });

  it('verifies from its tiles alone, as `tierline ledger verify` does', async () => {
    const report = await verifyLog({ fetch: tilesOf(A.slug), verifierKey: await vkeyOf(A.slug) });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(sizeA);
    // And the operator's check of the rows behind it finds nothing wrong.
    const checked = await checkLedger(store.db, A.id);
    expect(checked.problems).toEqual([]);
    expect(checked.entries).toBe(sizeA);
  });

  it('serves only commitments: no entry bundle holds a dealer code, name or figure', async () => {
    const size = (await get('/api/v1/ledger', as.A.admin)).json<LedgerInfo>().checkpointSize;
    const dealers = await store.db
      .selectFrom('dealer')
      .select(['code', 'name'])
      .where('tenant_id', '=', A.id)
      .execute();
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
    for (let n = 0; n * 256 < size; n++) {
      const width = Math.min(256, size - n * 256);
      const path =
        width === 256
          ? `tile/entries/${String(n).padStart(3, '0')}`
          : `tile/entries/${String(n).padStart(3, '0')}.p/${width}`;
      const bundle = await tilesOf(A.slug)(path);
      const entries = parseEntryBundle(bundle!, width);
      expect(entries.every((e) => e.length === 32)).toBe(true);
      const raw = Buffer.from(bundle!).toString('utf8') + text(bundle!);
      for (const d of dealers) {
        expect(raw).not.toContain(d.code);
        expect(raw).not.toContain(d.name);
      }
    }
  });

  it('serves nothing past the checkpoint and no log of an unknown tenant', async () => {
    expect((await get(`/ledger/${A.slug}/tile/0/999`)).statusCode).toBe(404);
    expect((await get(`/ledger/${A.slug}/tile/0/x001/000`)).statusCode).toBe(404);
    expect((await get(`/ledger/${A.slug}/tile/0/0`)).statusCode).toBe(404); // not canonical
    expect((await get('/ledger/no-such-tenant/checkpoint')).statusCode).toBe(404);
  });

  it('gives inclusion and consistency proofs that check against the checkpoints', async () => {
    const info = (await get('/api/v1/ledger', as.A.admin)).json<LedgerInfo>();
    const { checkpoint } = openCheckpoint(info.checkpoint!, {
      origin: info.origin,
      verifiers: [info.verifierKey],
    });
    const detail = (await get('/api/v1/ledger/entries/5', as.A.admin)).json<LedgerEntryDetail>();
    const proof = (
      await get('/api/v1/ledger/proofs/inclusion?index=5', as.A.admin)
    ).json<InclusionProof>();
    expect(proof.treeSize).toBe(checkpoint.size);
    expect(proof.hashes).toEqual(detail.proof!.hashes);
    const leaf = leafHash(Buffer.from(detail.commitment, 'hex'));
    expect(
      verifyInclusion(
        leaf,
        5,
        checkpoint.size,
        proof.hashes.map((h) => fromBase64(h)!),
        checkpoint.hash,
      ),
    ).toBe(true);
    const c = (
      await get('/api/v1/ledger/proofs/consistency?from=7', as.A.admin)
    ).json<ConsistencyProof>();
    expect(c.to).toBe(checkpoint.size);
    expect(c.hashes.length).toBeGreaterThan(0);
    const beyond = await get(
      `/api/v1/ledger/proofs/inclusion?index=0&treeSize=${checkpoint.size + 1}`,
      as.A.admin,
    );
    expect(beyond.statusCode).toBe(400);
    const outside = await get(
      `/api/v1/ledger/proofs/inclusion?index=${checkpoint.size}`,
      as.A.admin,
    );
    expect(outside.statusCode).toBe(400);
    // Every consistency proof verifies against roots of the tree (computed from the commitments).
    const commitments = await store.db
      .selectFrom('ledger_entry')
      .select('commitment')
      .where('tenant_id', '=', A.id)
      .orderBy('idx')
      .execute();
    const leaves = commitments.map((r) => leafHash(new Uint8Array(r.commitment)));
    const { rootFromLeafHashes } = await import('@tierline/core');
    expect(
      verifyConsistency(
        7,
        checkpoint.size,
        rootFromLeafHashes(leaves.slice(0, 7)),
        checkpoint.hash,
        c.hashes.map((h) => fromBase64(h)!),
      ),
    ).toBe(true);
  });
});

describe('a write through the API', () => {
  it('appends in its own transaction and is covered by a signed checkpoint once answered', async () => {
    const before = await store.db
      .selectFrom('ledger_log')
      .select('size')
      .where('tenant_id', '=', A.id)
      .executeTakeFirstOrThrow();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/policies',
      headers: as.A.admin,
      payload: { document: { ...defaultPolicy('2025-01'), name: 'ledger_api' }, note: 'via API' },
    });
    expect(res.statusCode).toBe(201);
    // Nothing read the log since: the answer itself got the checkpoint.
    const after = await store.db
      .selectFrom('ledger_log')
      .select('size')
      .where('tenant_id', '=', A.id)
      .executeTakeFirstOrThrow();
    expect(after.size).toBe(before.size + 1);
    // The hook runs once the answer is sent: on PostgreSQL's pool, maybe after inject returns.
    const checkpointed = async () =>
      Number(
        (
          await store.db
            .selectFrom('ledger_checkpoint')
            .select((eb) => eb.fn.max('size').as('size'))
            .where('tenant_id', '=', A.id)
            .executeTakeFirstOrThrow()
        ).size,
      );
    const deadline = Date.now() + 5000;
    while ((await checkpointed()) < after.size && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const latest = { size: await checkpointed() };
    expect(Number(latest.size)).toBe(after.size);
    const entry = await store.db
      .selectFrom('ledger_entry')
      .select(['kind', 'record'])
      .where('tenant_id', '=', A.id)
      .where('idx', '=', before.size)
      .executeTakeFirstOrThrow();
    expect(entry.kind).toBe('policy_version');
    expect(JSON.parse(entry.record)).toMatchObject({
      kind: 'policy_version',
      policy: { name: 'ledger_api', version: 1 },
      note: 'via API',
    });
    // A refused write appends nothing.
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/policies',
      headers: as.A.admin,
      payload: { document: { name: 'broken' }, note: '' },
    });
    expect(refused.statusCode).toBe(400);
    const still = await store.db
      .selectFrom('ledger_log')
      .select('size')
      .where('tenant_id', '=', A.id)
      .executeTakeFirstOrThrow();
    expect(still.size).toBe(after.size);
  });
});

describe('signing keys kept as files (TIERLINE_LEDGER_KEY_DIR)', () => {
  it('writes a 0600 key file, keeps no key in the database, and signs with the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierline-keys-'));
    process.env['TIERLINE_LEDGER_KEY_DIR'] = dir;
    try {
      const slug = unique('kf');
      const tenant = await createTenant(store.db, { slug, name: 'Key file' });
      const file = join(dir, `${slug}.key`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toMatch(
        new RegExp(`^PRIVATE\\+KEY\\+localhost/ledger/${slug}\\+`),
      );
      const inDb = await store.db
        .selectFrom('ledger_signer')
        .select('tenant_id')
        .where('tenant_id', '=', tenant.id)
        .execute();
      expect(inDb).toEqual([]);
      const checkpoint = await ensureCheckpoint(store.db, tenant.id);
      openCheckpoint(checkpoint!.note, {
        origin: `localhost/ledger/${slug}`,
        verifiers: [await vkeyOf(slug)],
      });
      // Without the folder configured, the log refuses to sign rather than sign otherwise.
      delete process.env['TIERLINE_LEDGER_KEY_DIR'];
      await withTenant(store.db, tenant.id, (trx) =>
        appendRecords(trx, tenant.id, [
          { kind: 'import_batch', dealerId: null, period: null, refId: 1, record: { batch: 1 } },
        ]),
      );
      await expect(ensureCheckpoint(store.db, tenant.id)).rejects.toThrow(
        /TIERLINE_LEDGER_KEY_DIR/,
      );
    } finally {
      delete process.env['TIERLINE_LEDGER_KEY_DIR'];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('who may open which record', () => {
  it('shows a dealer user only its own records, and opens no other', async () => {
    const page = (
      await get('/api/v1/ledger/entries?limit=500', as.A.dealer)
    ).json<LedgerEntryPage>();
    // Its 12 decisions and its own resource records (allocation lines, rebate settlements).
    expect(ownResources).toBeGreaterThan(0);
    expect(page.items.length).toBe(12 + ownResources);
    expect(page.items.every((e) => e.dealer?.id === ownDealer.id)).toBe(true);
    expect(page.items.filter((e) => e.kind === 'tier_decision')).toHaveLength(12);
    const other = await store.db
      .selectFrom('ledger_entry')
      .select('idx')
      .where('tenant_id', '=', A.id)
      .where('dealer_id', '!=', ownDealer.id)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((await get(`/api/v1/ledger/entries/${other.idx}`, as.A.dealer)).statusCode).toBe(404);
    const run = await store.db
      .selectFrom('ledger_entry')
      .select('idx')
      .where('tenant_id', '=', A.id)
      .where('kind', '=', 'assessment_run')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((await get(`/api/v1/ledger/entries/${run.idx}`, as.A.dealer)).statusCode).toBe(404);
    expect((await get(`/api/v1/ledger/entries/${run.idx}`, as.A.admin)).statusCode).toBe(200);
    // Replay is for staff.
    expect(
      (await get(`/api/v1/ledger/entries/${page.items[0]!.index}/replay`, as.A.dealer)).statusCode,
    ).toBe(403);
  });

  it('keeps each tenant’s records and keys apart', async () => {
    const own = (await get('/api/v1/ledger/entries?limit=500', as.B.admin)).json<LedgerEntryPage>();
    const aIndexes = await store.db
      .selectFrom('ledger_entry')
      .select('idx')
      .where('tenant_id', '=', A.id)
      .where('kind', '=', 'tier_decision')
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    // B's log is shorter: A's last decision index is not one of B's entries.
    expect(own.total).toBeLessThan(aIndexes.idx);
    expect((await get(`/api/v1/ledger/entries/${aIndexes.idx}`, as.B.admin)).statusCode).toBe(404);
    // A's checkpoint does not verify with B's key, and says why.
    const report = await verifyLog({ fetch: tilesOf(A.slug), verifierKey: await vkeyOf(B.slug) });
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.code).toBe('checkpoint_invalid');
    // A dealer of A cannot get another dealer's résumé; a manager only inside its regions.
    expect((await get(`/api/v1/dealers/${ownDealer.id}/resume`, as.B.admin)).statusCode).toBe(404);
  });

  it('gives a dealer its résumé, which verifies offline and fails when edited', async () => {
    const res = await get('/api/v1/portal/resume', as.A.dealer);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`resume-${ownDealer.code}.json`);
    const resume = res.json<Resume>();
    expect(resume.entries.length).toBe(12 + ownResources);
    const vkey = await vkeyOf(A.slug);
    const checked = verifyResume(resume, vkey);
    expect(checked.problem).toBeNull();
    expect(checked.ok).toBe(true);
    expect(checked.entries.filter((e) => e.kind === 'tier_decision')).toHaveLength(12);

    const edited = structuredClone(resume);
    const record = JSON.parse(edited.entries[3]!.record) as Record<string, unknown>;
    edited.entries[3]!.record = edited.entries[3]!.record.replace(
      `"tier":"${String(record['tier'])}"`,
      `"tier":"${record['tier'] === '战略' ? '基础' : '战略'}"`,
    );
    const bad = verifyResume(edited, vkey);
    expect(bad.ok).toBe(false);
    expect(bad.entries[3]!.ok).toBe(false);
    expect(bad.entries[3]!.problem).toContain('altered');
    expect(bad.entries.filter((e) => e.ok).length).toBe(11 + ownResources);

    const swapped = structuredClone(resume);
    swapped.entries[0]!.salt = resume.entries[1]!.salt;
    expect(verifyResume(swapped, vkey).entries[0]!.ok).toBe(false);
    expect(verifyResume(resume, await vkeyOf(B.slug)).problem).toContain('checkpoint');
  });
});

describe('replay', () => {
  it('recomputes a published decision from its recorded inputs and policy', async () => {
    const entries = (
      await get('/api/v1/ledger/entries?kind=tier_decision&limit=3', as.A.admin)
    ).json<LedgerEntryPage>();
    for (const e of entries.items) {
      const res = await get(`/api/v1/ledger/entries/${e.index}/replay`, as.A.admin);
      expect(res.statusCode).toBe(200);
      const replay = res.json<ReplayResult>();
      expect(replay.checks.filter((c) => !c.matches)).toEqual([]);
      expect(replay.matches).toBe(true);
      expect(replay.checks.map((c) => c.check)).toContain('inputs digest');
    }
    const policy = await store.db
      .selectFrom('ledger_entry')
      .select('idx')
      .where('tenant_id', '=', A.id)
      .where('kind', '=', 'policy_version')
      .executeTakeFirstOrThrow();
    expect((await get(`/api/v1/ledger/entries/${policy.idx}/replay`, as.A.admin)).statusCode).toBe(
      400,
    );
  });
});

describe('tampering is detected', () => {
  /** A fresh tenant whose log holds `n` appended records, and the checkpoint a verifier saw. */
  async function freshLog(n: number) {
    const slug = unique('lg');
    const tenant = await createTenant(store.db, { slug, name: `Log ${slug}` });
    await withTenant(store.db, tenant.id, (trx) =>
      appendRecords(
        trx,
        tenant.id,
        Array.from({ length: n }, (_, i) => ({
          kind: 'import_batch' as const,
          dealerId: null,
          period: null,
          refId: i,
          record: { batch: i, fileName: `f${i}.csv` },
        })),
      ),
    );
    const verify = async (previous?: SeenCheckpoint) =>
      verifyLog({
        fetch: tilesOf(slug),
        verifierKey: await vkeyOf(slug),
        previous: previous ?? null,
      });
    const report = await verify();
    expect(report.problems).toEqual([]);
    const seen = { size: report.checkpoint!.size, hash: report.checkpoint!.hash };
    return { id: tenant.id, slug, verify, seen };
  }

  it('a changed commitment', async () => {
    const T = await freshLog(300);
    await sql`update ledger_entry set commitment = decode(repeat('ab', 32), 'hex')
              where tenant_id = ${T.id} and idx = 17`.execute(store.db);
    const report = await T.verify(T.seen);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'entry_mismatch', index: 17 });
    const checked = await checkLedger(store.db, T.id);
    expect(checked.problems[0]).toMatchObject({ code: 'commitment_mismatch', index: 17 });
  });

  it('a changed stored hash', async () => {
    const T = await freshLog(300);
    // A leaf hash is in a public tile: it no longer matches its entry.
    await sql`update ledger_hash set hash = decode(repeat('cd', 32), 'hex')
              where tenant_id = ${T.id} and idx = ${storedHashIndex(0, 40)}`.execute(store.db);
    const report = await T.verify(T.seen);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ code: 'entry_mismatch', index: 40 });
    // A hash inside a tile's subtree is in no tile, but the proofs made from it fail, and the
    // database check finds it.
    await sql`update ledger_hash set hash = decode(repeat('cd', 32), 'hex')
              where tenant_id = ${T.id} and idx = ${storedHashIndex(2, 1)}`.execute(store.db);
    const checked = await checkLedger(store.db, T.id);
    expect(checked.ok).toBe(false);
    expect(checked.problems.map((p) => p.code)).toContain('hash_mismatch');
  });

  it('a truncated log', async () => {
    const T = await freshLog(300);
    await sql`delete from ledger_entry where tenant_id = ${T.id} and idx >= 290`.execute(store.db);
    const report = await T.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.code).toBe('tile_invalid');
    expect(report.problems[0]!.message).toContain('tile/entries/001.p/44');
    const checked = await checkLedger(store.db, T.id);
    expect(checked.problems.map((p) => p.code)).toEqual(['size_mismatch']);
  });

  it('a log rolled back to fewer entries', async () => {
    const T = await freshLog(300);
    await sql`delete from ledger_checkpoint where tenant_id = ${T.id}`.execute(store.db);
    await sql`update ledger_log set size = 100 where tenant_id = ${T.id}`.execute(store.db);
    await ensureCheckpoint(store.db, T.id);
    expect((await T.verify()).ok).toBe(true);
    const report = await T.verify(T.seen);
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.code).toBe('rolled_back');
  });

  it('a log rewritten and signed again at the same size (a fork)', async () => {
    // Rebuild an honest-looking log with one entry replaced, and sign it: on its own it
    // verifies; against the checkpoint seen before it is a fork.
    const T = await freshLog(100);
    const rows = await store.db
      .selectFrom('ledger_entry')
      .select(['idx', 'commitment'])
      .where('tenant_id', '=', T.id)
      .orderBy('idx')
      .execute();
    const forged = rows.map((r) => new Uint8Array(r.commitment));
    forged[50] = new Uint8Array(32).fill(7);
    const hashes: Uint8Array[] = [];
    forged.forEach((c, n) => hashes.push(...storedHashes(n, c, hashReaderFrom(hashes))));
    expect(hashes.length).toBe(storedHashCount(100));
    await sql`delete from ledger_hash where tenant_id = ${T.id}`.execute(store.db);
    await sql`delete from ledger_checkpoint where tenant_id = ${T.id}`.execute(store.db);
    for (let i = 0; i < hashes.length; i++) {
      await sql`insert into ledger_hash values (${T.id}, ${i}, decode(${toHex(hashes[i]!)}, 'hex'))`.execute(
        store.db,
      );
    }
    await sql`update ledger_entry set commitment = decode(${toHex(forged[50])}, 'hex')
              where tenant_id = ${T.id} and idx = 50`.execute(store.db);
    await ensureCheckpoint(store.db, T.id);
    const alone = await T.verify();
    expect(alone.problems).toEqual([]);
    const forked = await T.verify(T.seen);
    expect(forked.ok).toBe(false);
    expect(forked.problems[0]!.code).toBe('forked');
  });

  it('a wrong key', async () => {
    const T = await freshLog(3);
    const report = await verifyLog({ fetch: tilesOf(T.slug), verifierKey: await vkeyOf(A.slug) });
    expect(report.ok).toBe(false);
    expect(report.problems[0]!.code).toBe('checkpoint_invalid');
    expect(report.problems[0]!.message).toMatch(/unknown_key|wrong_origin/);
  });

  it('a changed record or salt, by the résumé and by replay', async () => {
    const resume = (await get(`/api/v1/portal/resume`, as.A.dealer)).json<Resume>();
    const target = resume.entries[2]!;
    await sql`update ledger_entry set record = replace(record, '"standing":"', '"standing":"x')
              where tenant_id = ${A.id} and idx = ${target.index}`.execute(store.db);
    const after = (await get(`/api/v1/portal/resume`, as.A.dealer)).json<Resume>();
    const checked = verifyResume(after, await vkeyOf(A.slug));
    expect(checked.ok).toBe(false);
    expect(checked.entries.find((e) => e.index === target.index)!.ok).toBe(false);
    const replay = (
      await get(`/api/v1/ledger/entries/${target.index}/replay`, as.A.admin)
    ).json<ReplayResult>();
    expect(replay.matches).toBe(false);
    expect(replay.checks.find((c) => c.check === 'commitment')!.matches).toBe(false);
    expect((await checkLedger(store.db, A.id)).problems[0]).toMatchObject({
      code: 'commitment_mismatch',
      index: target.index,
    });

    const other = resume.entries[4]!;
    await sql`update ledger_entry set salt = decode(repeat('00', 32), 'hex')
              where tenant_id = ${A.id} and idx = ${other.index}`.execute(store.db);
    const salted = (await get(`/api/v1/portal/resume`, as.A.dealer)).json<Resume>();
    expect(
      verifyResume(salted, await vkeyOf(A.slug)).entries.find((e) => e.index === other.index)!.ok,
    ).toBe(false);
  });

  it('changed inputs or policy, by replay', async () => {
    const entry = await store.db
      .selectFrom('ledger_entry')
      .select(['idx', 'ref_id'])
      .where('tenant_id', '=', A.id)
      .where('kind', '=', 'tier_decision')
      .where('dealer_id', '!=', ownDealer.id)
      .orderBy('idx', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    // Published inputs are guarded by a trigger; a tamperer has to switch it off first.
    await expect(
      sql`update assessment_input set digest = 'x' where tenant_id = ${A.id} and run_id = ${entry.ref_id}`.execute(
        store.db,
      ),
    ).rejects.toThrow(/published/);
    await sql`alter table assessment_input disable trigger assessment_input_published_guard`.execute(
      store.db,
    );
    const { gzipSync } = await import('node:zlib');
    await sql`update assessment_input set data = decode(${toHex(new Uint8Array(gzipSync('tierline-inputs/1\n')))}, 'hex')
              where tenant_id = ${A.id} and run_id = ${entry.ref_id}`.execute(store.db);
    await sql`alter table assessment_input enable trigger assessment_input_published_guard`.execute(
      store.db,
    );
    const damaged = await get(`/api/v1/ledger/entries/${entry.idx}/replay`, as.A.admin);
    expect(damaged.statusCode).toBe(400);
    expect(damaged.json<{ error: { details: { reason: string } } }>().error.details.reason).toBe(
      'malformed_inputs',
    );
    await sql`update tier_policy set document = jsonb_set(document, '{note}', '"edited"')
              where tenant_id = ${A.id}`.execute(store.db);
    const first = await store.db
      .selectFrom('ledger_entry')
      .select('idx')
      .where('tenant_id', '=', A.id)
      .where('kind', '=', 'tier_decision')
      .where('ref_id', '!=', entry.ref_id)
      .orderBy('idx')
      .limit(1)
      .executeTakeFirstOrThrow();
    const replay = (
      await get(`/api/v1/ledger/entries/${first.idx}/replay`, as.A.admin)
    ).json<ReplayResult>();
    expect(replay.checks.find((c) => c.check === 'policy digest')!.matches).toBe(false);
    expect(replay.matches).toBe(false);
  });
});
