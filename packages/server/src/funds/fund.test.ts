import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type {
  ErrorBody,
  Fund,
  FundBalance,
  FundBalancePage,
  FundClaim,
  FundClaimPage,
  FundRequest,
  FundRequestDetail,
  FundRequestPage,
  PortalFunds,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { withTenant } from '../db/tenant-scope.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import { makeChannel, makeDealer, makeUser, sessionHeaders } from '../test/factories.js';
import { decideClaim, moneyText } from './fund.service.js';
import { detectProofType } from './proof-file.js';

let store: TestStore;
let app: FastifyInstance;
const A = { tenantId: 0, own: 0, sub: 0, shandong: 0 };
const B = { tenantId: 0, dealer: 0 };
type Who =
  | 'admin'
  | 'admin2'
  | 'manager'
  | 'managerSd'
  | 'analyst'
  | 'dealer'
  | 'dealerSd'
  | 'adminB'
  | 'dealerB';
const as = {} as Record<Who, Record<string, string>>;
const userIds = {} as Record<Who, number>;

// Files: each starts as its kind does.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image'),
]);
const XLSX = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from('....[Content_Types].xml....xl/workbook.xml....'),
]);
const EXE = Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode');
const HTML = Buffer.from('<html><script>alert(1)</script></html>');

const b64 = (b: Buffer) => b.toString('base64');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function call(
  who: Who,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: as[who],
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function ok<T>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const r = await response;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<T>();
}

/** Everything the fund tables, the audit trail and the ledger hold, to prove nothing changed. */
async function snapshot() {
  const { rows } = await sql`
    select (select count(*) from mdf_fund)::int as funds,
      (select count(*) from mdf_request)::int as requests,
      (select json_agg(json_build_array(id, status, decided_at) order by id) from mdf_request) as request_states,
      (select count(*) from mdf_claim)::int as claims,
      (select json_agg(json_build_array(id, status, decided_at, paid_at) order by id) from mdf_claim) as claim_states,
      (select count(*) from mdf_proof)::int as proofs,
      (select count(*) from audit_event)::int as audit,
      (select count(*) from ledger_entry)::int as ledger`.execute(store.db);
  return rows[0];
}

/** Expect a refusal with this status and message, and nothing written. */
async function refused(
  response: () => Promise<LightMyRequestResponse>,
  status: number,
  message: RegExp,
): Promise<ErrorBody> {
  const before = await snapshot();
  const r = await response();
  expect(r.statusCode, r.body).toBe(status);
  const body = r.json<ErrorBody>();
  expect(body.error.message).toMatch(message);
  expect(await snapshot()).toEqual(before);
  return body;
}

async function portalBalance(who: Who = 'dealer'): Promise<FundBalance> {
  return (await ok<PortalFunds>(call(who, 'GET', '/api/v1/portal/funds'))).balance;
}

async function staffBalance(dealerId: number, who: Who = 'admin'): Promise<FundBalance | null> {
  const page = await ok<FundBalancePage>(call(who, 'GET', '/api/v1/funds/balances?limit=500'));
  const row = page.items.find((i) => i.dealer.id === dealerId);
  if (!row) return null;
  const { allocated, pending, approved, paid, available } = row;
  return { allocated, pending, approved, paid, available };
}

const balance = (
  allocated: number,
  pending: number,
  approved: number,
  paid: number,
): FundBalance => ({
  allocated,
  pending,
  approved,
  paid,
  available: allocated - pending - approved,
});

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

beforeAll(async () => {
  store = await createTestStore();
  const d = store.db;
  const a = await makeChannel(d);
  A.tenantId = a.tenantId;
  // Deadlines are days in the tenant's time zone; the test computes them in UTC.
  await d.updateTable('tenant').set({ time_zone: 'UTC' }).where('id', '=', a.tenantId).execute();
  A.own = await makeDealer(d, a.tenantId, { region_id: a.regions.th, code: 'GZ-OWN' });
  A.sub = await makeDealer(d, a.tenantId, { region_id: a.regions.ns, code: 'SZ-SUB' });
  A.shandong = await makeDealer(d, a.tenantId, { region_id: a.regions.sd, code: 'SD-ONE' });
  const b = await makeChannel(d);
  B.tenantId = b.tenantId;
  B.dealer = await makeDealer(d, b.tenantId, { region_id: b.regions.th, code: 'B-ONE' });
  const users: [Who, number, Parameters<typeof makeUser>[2]][] = [
    ['admin', a.tenantId, { role: 'admin' }],
    ['admin2', a.tenantId, { role: 'admin' }],
    ['manager', a.tenantId, { role: 'channel_manager', regionIds: [a.regions.gd] }],
    ['managerSd', a.tenantId, { role: 'channel_manager', regionIds: [a.regions.sd] }],
    ['analyst', a.tenantId, { role: 'analyst' }],
    ['dealer', a.tenantId, { role: 'dealer', dealerId: A.own }],
    ['dealerSd', a.tenantId, { role: 'dealer', dealerId: A.shandong }],
    ['adminB', b.tenantId, { role: 'admin' }],
    ['dealerB', b.tenantId, { role: 'dealer', dealerId: B.dealer }],
  ];
  for (const [who, tenantId, input] of users) {
    const user = await makeUser(d, tenantId, input);
    userIds[who] = user.id;
    as[who] = await sessionHeaders(d, tenantId, user.id);
  }
  app = await buildApp({ db: d, engine: store.engine, store, defaultTenant: a.slug, version: 't' });
  await app.ready();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

describe('proof file types', () => {
  it('are told by content', () => {
    expect(detectProofType(PDF)).toBe('application/pdf');
    expect(detectProofType(PNG)).toBe('image/png');
    expect(detectProofType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(detectProofType(XLSX)).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(detectProofType(EXE)).toBeNull();
    expect(detectProofType(HTML)).toBeNull();
    // A ZIP that is not an Office document.
    expect(
      detectProofType(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('a.txt')])),
    ).toBeNull();
  });

  it('money in messages is exact', () => {
    expect(moneyText(123_456_789, { currency: 'CNY', minorUnits: 2 })).toBe('CNY 1,234,567.89');
    expect(moneyText(5, { currency: 'CNY', minorUnits: 2 })).toBe('CNY 0.05');
    expect(moneyText(1000, { currency: 'JPY', minorUnits: 0 })).toBe('JPY 1,000');
  });
});

describe('the MDF workflow', () => {
  let fund: Fund;
  let request: FundRequest;
  let claim: FundClaim;

  it('grants a fund (admin only), refusing a past deadline and an unknown dealer', async () => {
    await refused(
      () =>
        call('admin', 'POST', '/api/v1/funds', {
          dealerId: A.own,
          period: '2026-Q1',
          amount: 1000,
          claimDeadline: '2020-01-01',
        }),
      400,
      /claim deadline 2020-01-01 has passed/,
    );
    await refused(
      () =>
        call('admin', 'POST', '/api/v1/funds', {
          dealerId: B.dealer,
          period: '2026-Q1',
          amount: 1000,
          claimDeadline: inDays(30),
        }),
      404,
      /does not exist/,
    );
    for (const who of ['manager', 'analyst', 'dealer'] as const) {
      const r = await call(who, 'POST', '/api/v1/funds', {
        dealerId: A.own,
        period: '2026-Q1',
        amount: 1000,
        claimDeadline: inDays(30),
      });
      expect(r.statusCode, who).toBe(403);
    }
    fund = await ok<Fund>(
      call('admin', 'POST', '/api/v1/funds', {
        dealerId: A.own,
        period: '2026-Q1',
        amount: 5_000_000,
        claimDeadline: inDays(30),
        note: 'Q1 市场费用',
      }),
      201,
    );
    expect(fund).toMatchObject({
      dealer: { id: A.own, code: 'GZ-OWN' },
      amount: 5_000_000,
      allocationId: null,
      open: true,
      balance: balance(5_000_000, 0, 0, 0),
    });
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 0, 0));
    expect(await staffBalance(A.own)).toEqual(balance(5_000_000, 0, 0, 0));
    // A fund for the Shandong dealer too, for the scope checks.
    await ok(
      call('admin', 'POST', '/api/v1/funds', {
        dealerId: A.shandong,
        period: '2026-Q1',
        amount: 100_000,
        claimDeadline: inDays(30),
      }),
      201,
    );
  });

  it('refuses a request over the available balance, with the figures', async () => {
    const body = await refused(
      () =>
        call('dealer', 'POST', '/api/v1/portal/funds/requests', {
          title: '门店陈列',
          amount: 5_000_001,
          activityFrom: inDays(1),
          activityTo: inDays(10),
        }),
      400,
      /CNY 50,000\.01, more than the CNY 50,000\.00 available in fund \d+ \(2026-Q1\): allocated CNY 50,000\.00, pending CNY 0\.00, approved CNY 0\.00/,
    );
    expect(body.error.details).toMatchObject({ field: 'amount', available: 5_000_000 });
    await refused(
      () =>
        call('dealer', 'POST', '/api/v1/portal/funds/requests', {
          title: '门店陈列',
          amount: 1000,
          activityFrom: inDays(10),
          activityTo: inDays(1),
        }),
      400,
      /ends .* before it starts/,
    );
    await refused(
      () =>
        call('dealer', 'POST', '/api/v1/portal/funds/requests', {
          title: '',
          amount: 0,
          activityFrom: inDays(1),
          activityTo: inDays(2),
        }),
      400,
      /body.title.*body.amount|body.amount.*body.title/,
    );
  });

  it('takes a request in the portal: pending', async () => {
    request = await ok<FundRequest>(
      call('dealer', 'POST', '/api/v1/portal/funds/requests', {
        title: '门店陈列活动',
        description: '天河区 12 家门店端架陈列',
        amount: 3_000_000,
        activityFrom: inDays(1),
        activityTo: inDays(10),
      }),
      201,
    );
    expect(request).toMatchObject({ status: 'submitted', fundId: fund.id, claim: null });
    // The portal names no staff login; the dealer's own request carries no createdBy at all.
    expect(request).not.toHaveProperty('createdBy');
    expect(await portalBalance()).toEqual(balance(5_000_000, 3_000_000, 0, 0));
    // Another request may not take more than what is left.
    await refused(
      () =>
        call('dealer', 'POST', '/api/v1/portal/funds/requests', {
          title: '第二个活动',
          amount: 2_000_001,
          activityFrom: inDays(1),
          activityTo: inDays(2),
        }),
      400,
      /available/,
    );
  });

  it('shows the request only to callers who see the dealer', async () => {
    const list = await ok<FundRequestPage>(
      call('manager', 'GET', '/api/v1/funds/requests?status=submitted'),
    );
    expect(list.items.map((r) => r.id)).toEqual([request.id]);
    expect(list.items[0]!.createdBy).toMatch(/^dealer-/);
    for (const who of ['managerSd', 'adminB'] as const) {
      const page = await ok<FundRequestPage>(call(who, 'GET', '/api/v1/funds/requests'));
      expect(
        page.items.map((r) => r.id),
        who,
      ).not.toContain(request.id);
      expect((await call(who, 'GET', `/api/v1/funds/requests/${request.id}`)).statusCode).toBe(404);
    }
    const sdBalances = await ok<FundBalancePage>(
      call('managerSd', 'GET', '/api/v1/funds/balances'),
    );
    expect(sdBalances.items.map((i) => i.dealer.code)).toEqual(['SD-ONE']);
    expect(sdBalances.totals).toBeNull();
    const all = await ok<FundBalancePage>(call('admin', 'GET', '/api/v1/funds/balances'));
    expect(all.totals).toEqual(balance(5_100_000, 3_000_000, 0, 0));
    expect(all.total).toBe(2);
    const search = await ok<FundBalancePage>(call('admin', 'GET', '/api/v1/funds/balances?q=sd-'));
    expect(search.items.map((i) => i.dealer.code)).toEqual(['SD-ONE']);
    const portalB = await ok<PortalFunds>(call('dealerB', 'GET', '/api/v1/portal/funds'));
    expect(portalB).toMatchObject({ funds: [], requests: [], claims: [] });
    const portalSd = await ok<PortalFunds>(call('dealerSd', 'GET', '/api/v1/portal/funds'));
    expect(portalSd.requests).toEqual([]);
  });

  it('lets nobody out of scope, no dealer user and no analyst decide', async () => {
    for (const [who, status] of [
      ['managerSd', 404],
      ['adminB', 404],
      ['dealer', 403],
      ['analyst', 403],
    ] as const) {
      await refused(
        () => call(who, 'POST', `/api/v1/funds/requests/${request.id}/approve`),
        status,
        /./,
      );
    }
    // Another dealer cannot cancel it.
    await refused(
      () => call('dealerSd', 'POST', `/api/v1/portal/funds/requests/${request.id}/cancel`),
      404,
      /does not exist/,
    );
  });

  it('wants a reason of at least 5 characters to reject', async () => {
    await refused(
      () => call('manager', 'POST', `/api/v1/funds/requests/${request.id}/reject`, {}),
      400,
      /reason/,
    );
    await refused(
      () =>
        call('manager', 'POST', `/api/v1/funds/requests/${request.id}/reject`, { reason: ' no  ' }),
      400,
      /at least 5 characters/,
    );
  });

  it('approves (the manager in scope): pending becomes approved, with a ledger record', async () => {
    const approved = await ok<FundRequest>(
      call('manager', 'POST', `/api/v1/funds/requests/${request.id}/approve`),
    );
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: expect.stringMatching(/^channel-manager-/),
    });
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 3_000_000, 0));
    await refused(
      () => call('admin', 'POST', `/api/v1/funds/requests/${request.id}/approve`),
      409,
      /is approved; only a submitted request can be approved/,
    );
    const entry = await store.db
      .selectFrom('ledger_entry')
      .select(['dealer_id', 'period', 'record'])
      .where('tenant_id', '=', A.tenantId)
      .where('kind', '=', 'fund_decision')
      .orderBy('idx', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.dealer_id).toBe(A.own);
    expect(entry.period).toBe('2026-Q1');
    const record = (
      typeof entry.record === 'string' ? JSON.parse(entry.record) : entry.record
    ) as Record<string, unknown>;
    expect(record).toMatchObject({
      subject: 'request',
      id: request.id,
      decision: 'approved',
      amount: 3_000_000,
      dealer: { id: A.own, code: 'GZ-OWN' },
    });
    expect(JSON.stringify(record)).not.toMatch(/channel-manager-|dealer-/);
  });

  it('refuses bad claims and writes nothing', async () => {
    const url = `/api/v1/portal/funds/requests/${request.id}/claims`;
    const proof = {
      fileName: 'invoice.pdf',
      contentType: 'application/pdf',
      contentBase64: b64(PDF),
    };
    await refused(
      () => call('dealer', 'POST', url, { amount: 1000, proofs: [] }),
      400,
      /at least one proof file/,
    );
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [{ fileName: 'x.pdf', contentType: 'application/pdf', contentBase64: b64(EXE) }],
        }),
      400,
      /"x.pdf" is not a PDF, JPEG, PNG, XLSX or DOCX file by its content/,
    );
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [{ fileName: 'page.pdf', contentType: 'text/html', contentBase64: b64(HTML) }],
        }),
      400,
      /not a PDF/,
    );
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [{ fileName: 'photo.png', contentType: 'image/jpeg', contentBase64: b64(PNG) }],
        }),
      400,
      /sent as image\/jpeg but its content is PNG/,
    );
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [{ fileName: 'photo.html', contentType: 'image/png', contentBase64: b64(PNG) }],
        }),
      400,
      /its name must end in \.png/,
    );
    // 10.2 MB of files: within the body limit, over the 10 MB of proofs.
    const big = Buffer.concat([PDF, Buffer.alloc(5.1 * 1024 * 1024, 0x20)]);
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [
            { fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: b64(big) },
            { fileName: 'b.pdf', contentType: 'application/pdf', contentBase64: b64(big) },
          ],
        }),
      413,
      /at most 10 MB in all; with "b.pdf" they are 10.2 MB/,
    );
    const huge = Buffer.concat([PDF, Buffer.alloc(12 * 1024 * 1024, 0x20)]);
    await refused(
      () =>
        call('dealer', 'POST', url, {
          amount: 1000,
          proofs: [{ fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: b64(huge) }],
        }),
      413,
      /larger than this endpoint accepts/,
    );
    await refused(
      () => call('dealer', 'POST', url, { amount: 3_000_001, proofs: [proof] }),
      400,
      /CNY 30,000\.01, more than the CNY 30,000\.00 approved for request/,
    );
    // Another dealer's user, and staff, cannot claim it.
    await refused(
      () => call('dealerSd', 'POST', url, { amount: 1000, proofs: [proof] }),
      404,
      /does not exist/,
    );
    await refused(
      () => call('admin', 'POST', url, { amount: 1000, proofs: [proof] }),
      403,
      /portal/,
    );
  });

  it('refuses a claim after the claim deadline', async () => {
    await sql`update mdf_fund set claim_deadline = (now() at time zone 'UTC')::date - 1 where id = ${fund.id}`.execute(
      store.db,
    );
    try {
      await refused(
        () =>
          call('dealer', 'POST', `/api/v1/portal/funds/requests/${request.id}/claims`, {
            amount: 1000,
            proofs: [
              { fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: b64(PDF) },
            ],
          }),
        400,
        /claim deadline of this fund \(2026-Q1\) was \d{4}-\d{2}-\d{2}; claims are no longer accepted/,
      );
      await refused(
        () =>
          call('dealer', 'POST', '/api/v1/portal/funds/requests', {
            title: '过期后申请',
            amount: 1000,
            activityFrom: inDays(1),
            activityTo: inDays(2),
          }),
        400,
        /claim deadline of every fund of this dealer has passed/,
      );
      await refused(
        () =>
          call('dealer', 'POST', '/api/v1/portal/funds/requests', {
            fundId: fund.id,
            title: '过期后申请',
            amount: 1000,
            activityFrom: inDays(1),
            activityTo: inDays(2),
          }),
        400,
        /requests are no longer accepted on it/,
      );
    } finally {
      await sql`update mdf_fund set claim_deadline = ${fund.claimDeadline} where id = ${fund.id}`.execute(
        store.db,
      );
    }
  });

  it('takes a claim with proof files; the commitment stays until the claim is decided', async () => {
    claim = await ok<FundClaim>(
      call('dealer', 'POST', `/api/v1/portal/funds/requests/${request.id}/claims`, {
        amount: 2_800_000,
        note: '实际发生 28,000 元',
        proofs: [
          { fileName: '发票.pdf', contentType: 'application/pdf', contentBase64: b64(PDF) },
          { fileName: 'photo.png', contentType: 'image/png', contentBase64: b64(PNG) },
          { fileName: 'list.xlsx', contentType: '', contentBase64: b64(XLSX) },
        ],
      }),
      201,
    );
    expect(claim).toMatchObject({ status: 'submitted', amount: 2_800_000, requestId: request.id });
    expect(claim.proofs.map((p) => [p.fileName, p.sha256])).toEqual([
      ['发票.pdf', sha(PDF)],
      ['photo.png', sha(PNG)],
      ['list.xlsx', sha(XLSX)],
    ]);
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 3_000_000, 0));
    await refused(
      () =>
        call('dealer', 'POST', `/api/v1/portal/funds/requests/${request.id}/claims`, {
          amount: 1000,
          proofs: [{ fileName: 'a.pdf', contentType: 'application/pdf', contentBase64: b64(PDF) }],
        }),
      409,
      /already has claim/,
    );
  });

  it('serves proof files as attachments to those who see the dealer', async () => {
    const proof = claim.proofs[0]!;
    const staff = await call(
      'manager',
      'GET',
      `/api/v1/funds/claims/${claim.id}/proofs/${proof.id}`,
    );
    expect(staff.statusCode).toBe(200);
    expect(staff.headers['content-type']).toBe('application/pdf');
    expect(staff.headers['content-disposition']).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('发票.pdf')}`,
    );
    expect(staff.headers['x-content-type-options']).toBe('nosniff');
    expect(staff.rawPayload.equals(PDF)).toBe(true);
    const own = await call(
      'dealer',
      'GET',
      `/api/v1/portal/funds/claims/${claim.id}/proofs/${proof.id}`,
    );
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.equals(PDF)).toBe(true);
    for (const [who, url] of [
      ['managerSd', `/api/v1/funds/claims/${claim.id}/proofs/${proof.id}`],
      ['adminB', `/api/v1/funds/claims/${claim.id}/proofs/${proof.id}`],
      ['dealerSd', `/api/v1/portal/funds/claims/${claim.id}/proofs/${proof.id}`],
      ['admin', `/api/v1/funds/claims/${claim.id}/proofs/${claim.proofs[0]!.id + 1000}`],
    ] as const) {
      expect((await call(who, 'GET', url)).statusCode, `${who} ${url}`).toBe(404);
    }
    const claims = await ok<FundClaimPage>(
      call('admin', 'GET', '/api/v1/funds/claims?status=submitted'),
    );
    expect(claims.items.map((c) => c.id)).toEqual([claim.id]);
    const none = await ok<FundClaimPage>(call('managerSd', 'GET', '/api/v1/funds/claims'));
    expect(none.items).toEqual([]);
  });

  it('refuses to pay a claim that is not approved, and the maker deciding its own claim', async () => {
    await refused(
      () =>
        call('admin', 'POST', `/api/v1/funds/claims/${claim.id}/pay`, {
          paymentReference: 'BANK-1',
        }),
      409,
      /only an approved claim can be paid/,
    );
    // Only dealer users submit claims, and they cannot decide: the service refuses the maker too.
    const maker: AuditOrigin = {
      actor: { kind: 'user', id: userIds.dealer, name: 'dealer' },
      ip: null,
      userAgent: null,
    };
    const before = await snapshot();
    await expect(
      withTenant(store.db, A.tenantId, (trx) =>
        decideClaim(trx, A.tenantId, { kind: 'tenant' }, claim.id, { decision: 'approve' }, maker),
      ),
    ).rejects.toThrow(
      /You submitted claim \d+; a second person must decide on it \(maker-checker\)/,
    );
    expect(await snapshot()).toEqual(before);
    await refused(
      () => call('manager', 'POST', `/api/v1/funds/claims/${claim.id}/reject`, { reason: 'ok' }),
      400,
      /at least 5 characters/,
    );
  });

  it('approves the claim: the commitment becomes the claimed amount; then pays it', async () => {
    const approved = await ok<FundClaim>(
      call('admin', 'POST', `/api/v1/funds/claims/${claim.id}/approve`),
    );
    expect(approved.status).toBe('approved');
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 2_800_000, 0));
    await refused(
      () =>
        call('admin', 'POST', `/api/v1/funds/claims/${claim.id}/pay`, { paymentReference: '  ' }),
      400,
      /payment reference is required/,
    );
    for (const who of ['manager', 'dealer'] as const) {
      await refused(
        () => call(who, 'POST', `/api/v1/funds/claims/${claim.id}/pay`, { paymentReference: 'X' }),
        403,
        /may not do this/,
      );
    }
    const paid = await ok<FundClaim>(
      call('admin', 'POST', `/api/v1/funds/claims/${claim.id}/pay`, {
        paymentReference: 'BANK-2026-0001',
      }),
    );
    expect(paid).toMatchObject({ status: 'paid', paymentReference: 'BANK-2026-0001' });
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 2_800_000, 2_800_000));
    expect(await staffBalance(A.own)).toEqual(balance(5_000_000, 0, 2_800_000, 2_800_000));
    const records = await store.db
      .selectFrom('ledger_entry')
      .select(['record'])
      .where('tenant_id', '=', A.tenantId)
      .where('kind', '=', 'fund_decision')
      .orderBy('idx')
      .execute();
    const parsed = records.map(
      (r) =>
        (typeof r.record === 'string' ? JSON.parse(r.record) : r.record) as Record<string, unknown>,
    );
    expect(parsed.map((r) => [r['subject'], r['decision'], r['amount']])).toEqual([
      ['request', 'approved', 3_000_000],
      ['claim', 'approved', 2_800_000],
      ['claim', 'paid', 2_800_000],
    ]);
    expect(parsed[2]!['proofSha256']).toEqual([sha(PDF), sha(PNG), sha(XLSX)]);
  });

  it('shows the request with its claims and history', async () => {
    const detail = await ok<FundRequestDetail>(
      call('analyst', 'GET', `/api/v1/funds/requests/${request.id}`),
    );
    expect(detail.request).toMatchObject({
      status: 'approved',
      claim: { id: claim.id, status: 'paid' },
    });
    expect(detail.fund.balance).toEqual(balance(5_000_000, 0, 2_800_000, 2_800_000));
    expect(detail.history.map((e) => `${e.subject} ${e.event}`)).toEqual([
      'request submitted',
      'request approved',
      'claim submitted',
      'claim approved',
      'claim paid',
    ]);
    const portal = await ok<PortalFunds>(call('dealer', 'GET', '/api/v1/portal/funds'));
    expect(portal.claims[0]).toMatchObject({
      id: claim.id,
      status: 'paid',
      paymentReference: 'BANK-2026-0001',
    });
    expect(portal.claims[0]).not.toHaveProperty('paidBy');
    expect(portal.claims[0]).not.toHaveProperty('decidedBy');
  });

  it('releases a rejected and a cancelled request; staff may request for a dealer in scope but not decide their own', async () => {
    const staffMade = await ok<FundRequest>(
      call('manager', 'POST', '/api/v1/funds/requests', {
        dealerId: A.own,
        title: '经理代申请',
        amount: 500_000,
        activityFrom: inDays(1),
        activityTo: inDays(3),
      }),
      201,
    );
    expect(await portalBalance()).toEqual(balance(5_000_000, 500_000, 2_800_000, 2_800_000));
    await refused(
      () => call('manager', 'POST', `/api/v1/funds/requests/${staffMade.id}/approve`),
      403,
      /You submitted request \d+; a second person must decide on it/,
    );
    await refused(
      () =>
        call('manager', 'POST', '/api/v1/funds/requests', {
          dealerId: A.shandong,
          title: '越权',
          amount: 1,
          activityFrom: inDays(1),
          activityTo: inDays(3),
        }),
      404,
      /does not exist/,
    );
    const rejected = await ok<FundRequest>(
      call('admin', 'POST', `/api/v1/funds/requests/${staffMade.id}/reject`, {
        reason: '活动方案不完整，请补充',
      }),
    );
    expect(rejected).toMatchObject({
      status: 'rejected',
      decisionReason: '活动方案不完整，请补充',
    });
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 2_800_000, 2_800_000));

    const mine = await ok<FundRequest>(
      call('dealer', 'POST', '/api/v1/portal/funds/requests', {
        title: '取消的申请',
        amount: 100_000,
        activityFrom: inDays(1),
        activityTo: inDays(3),
      }),
      201,
    );
    expect(await portalBalance()).toEqual(balance(5_000_000, 100_000, 2_800_000, 2_800_000));
    await ok(call('dealer', 'POST', `/api/v1/portal/funds/requests/${mine.id}/cancel`));
    expect(await portalBalance()).toEqual(balance(5_000_000, 0, 2_800_000, 2_800_000));
    await refused(
      () => call('dealer', 'POST', `/api/v1/portal/funds/requests/${mine.id}/cancel`),
      409,
      /only a submitted request can be cancelled/,
    );
    const audit = await store.db
      .selectFrom('audit_event')
      .select('action')
      .where('tenant_id', '=', A.tenantId)
      .where('action', 'like', 'fund.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'fund.grant',
      'fund.grant',
      'fund.request.submit',
      'fund.request.approve',
      'fund.claim.submit',
      'fund.claim.approve',
      'fund.claim.pay',
      'fund.request.submit',
      'fund.request.reject',
      'fund.request.submit',
      'fund.request.cancel',
    ]);
  });
});
