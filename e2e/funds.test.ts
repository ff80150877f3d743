import type { Fund, FundBalancePage, PortalFunds, SessionInfo } from '@tierline/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  fileNameFor,
  launchChromium,
  openContext,
  saveScreenshot,
  signedInState,
  startDemoServer,
  type RunningServer,
} from './helpers.js';

/**
 * The market development fund workflow end to end, as its users do it: the dealer user asks
 * for funds in the portal, the admin approves in the console, the dealer claims with a proof
 * file, the admin approves the claim and records the payment; the balances each side sees
 * follow every step. The test grants a fund of its own through the API and checks every
 * balance against what the dealer and the tenant held before (the demo grants funds too).
 */

type SignedInState = Awaited<ReturnType<typeof signedInState>>;

let server: RunningServer | undefined;
let browser: Browser | undefined;
// One sign-in per user for the whole file: the API limits sign-ins per address.
let adminState: SignedInState | undefined;
let dealerState: SignedInState | undefined;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];
let dealer = { id: 0, code: '', name: '' };
type Figures = { allocated: number; pending: number; approved: number; paid: number };
/** What the tenant and the dealer held before the test (the demo may grant funds of its own). */
const before: { totals: Figures; dealer: Figures } = {
  totals: { allocated: 0, pending: 0, approved: 0, paid: 0 },
  dealer: { allocated: 0, pending: 0, approved: 0, paid: 0 },
};

const PROOF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

function running(): RunningServer {
  if (server === undefined) throw new Error('the server did not start');
  return server;
}

async function open(path: string): Promise<void> {
  await page.goto(`${running().url}${path}`);
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  adminState = await signedInState(server, 'admin');
  dealerState = await signedInState(server, 'dealer');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newContext(state: SignedInState | undefined): Promise<void> {
  ({ context, page, pageErrors } = await openContext(browser, running().url, state));
}

afterEach(async ({ task }) => {
  await saveScreenshot(page, `funds-${fileNameFor(task.name)}`);
  await context.close();
  expect(pageErrors).toEqual([]);
});

/** The figures of a balance on screen (minor units from `data-value`), by its test id. */
async function shownBalance(testId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of ['allocated', 'pending', 'approved', 'paid', 'available']) {
    out[key] = Number(await page.getByTestId(`${testId}-${key}`).getAttribute('data-value'));
  }
  return out;
}

/**
 * Wait until a balance on screen shows what it held before the test plus these changes
 * (queries refresh after each action).
 */
async function expectBalance(testId: string, change: Figures): Promise<void> {
  const base = testId === 'fund-totals' ? before.totals : before.dealer;
  const expected = {
    allocated: base.allocated + change.allocated,
    pending: base.pending + change.pending,
    approved: base.approved + change.approved,
    paid: base.paid + change.paid,
  };
  const want = {
    ...expected,
    available: expected.allocated - expected.pending - expected.approved,
  };
  for (const [key, value] of Object.entries(want)) {
    await page
      .getByTestId(`${testId}-${key}`)
      .and(page.locator(`[data-value="${value}"]`))
      .waitFor();
  }
  expect(await shownBalance(testId)).toEqual(want);
}

/** Type a date range into an antd RangePicker (found by its class name). */
async function fillRange(className: string, from: string, to: string): Promise<void> {
  const inputs = page.locator(`.${className} input`);
  await inputs.nth(0).click();
  await inputs.nth(0).fill(from);
  await inputs.nth(0).press('Enter');
  await inputs.nth(1).fill(to);
  await inputs.nth(1).press('Enter');
}

describe('market development funds', () => {
  it('grants a fund to the demo dealer through the API', async () => {
    await newContext(dealerState);
    const me = await api<SessionInfo>(context.request, '/api/v1/session');
    if (!me.user.dealer) throw new Error('the demo dealer user has no dealer');
    dealer = me.user.dealer;
    const own = await api<PortalFunds>(context.request, '/api/v1/portal/funds');
    before.dealer = own.balance;
    await context.close();

    await newContext(adminState);
    const session = await api<SessionInfo>(context.request, '/api/v1/session');
    const all = await api<FundBalancePage>(context.request, '/api/v1/funds/balances');
    if (all.totals) before.totals = all.totals;
    const response = await context.request.post('/api/v1/funds', {
      headers: { 'x-csrf-token': session.csrfToken },
      data: {
        dealerId: dealer.id,
        period: '2026-Q4',
        amount: 5_000_000,
        claimDeadline: inDays(60),
        note: 'e2e',
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    const fund = (await response.json()) as Fund;
    expect(fund.balance).toEqual({
      allocated: 5_000_000,
      pending: 0,
      approved: 0,
      paid: 0,
      available: 5_000_000,
    });
    await open('/resources/funds');
    await page.getByTestId('funds-page').waitFor();
    await expectBalance('fund-totals', { allocated: 5_000_000, pending: 0, approved: 0, paid: 0 });
    await page.getByPlaceholder('搜索经销商编码或名称').fill(dealer.code);
    await page.getByPlaceholder('搜索经销商编码或名称').press('Enter');
    await page.getByTestId('fund-balances').getByText(dealer.code).waitFor();
    // The first page may show the dealer before the search answers: wait for the one row.
    await expect
      .poll(() => page.getByTestId('fund-balances').locator('tbody tr.ant-table-row').count(), {
        timeout: 15_000,
      })
      .toBe(1);
  });

  it('lets the dealer request funds in the portal; an amount over the balance is refused with the figures', async () => {
    await newContext(dealerState);
    await open('/portal');
    await page.getByTestId('portal-funds').waitFor();
    await expectBalance('portal-fund-balance', {
      allocated: 5_000_000,
      pending: 0,
      approved: 0,
      paid: 0,
    });

    await page.getByTestId('fund-request-new').click();
    await page.getByTestId('fund-request-title').fill('社区门店端架陈列');
    // More than everything the dealer has available.
    // In fen, then yuan with two decimals: the demo's own fund may hold any number of fen.
    const available = before.dealer.allocated - before.dealer.pending - before.dealer.approved;
    const over = ((available + 5_000_100) / 100).toFixed(2);
    await page.getByTestId('fund-request-amount').fill(over);
    await fillRange('tl-fund-activity', inDays(3), inDays(20));
    await page.getByTestId('fund-request-description').fill('12 家门店端架陈列两周');
    await page.getByTestId('fund-request-submit').click();
    // The server refuses, and the form says why with the server's figures.
    await expect(page.getByTestId('fund-request-error').innerText()).resolves.toMatch(
      /申请金额 ¥[\d,]+\.\d\d 超过可用余额 ¥[\d,]+\.\d\d（已分配 ¥[\d,]+\.\d\d，审批中 ¥[\d,.]+，已批准 ¥[\d,.]+）/,
    );
    await page.getByTestId('fund-request-amount').fill('30,000');
    await page.getByTestId('fund-request-submit').click();
    await page.getByTestId('fund-request-error').waitFor({ state: 'detached' });

    await expectBalance('portal-fund-balance', {
      allocated: 5_000_000,
      pending: 3_000_000,
      approved: 0,
      paid: 0,
    });
    const request = page.getByTestId('portal-fund-request').filter({ hasText: '社区门店端架陈列' });
    await expect(
      request.getByTestId('fund-request-status').getAttribute('data-status'),
    ).resolves.toBe('submitted');
  });

  it('lets the admin approve the request in the console', async () => {
    await newContext(adminState);
    await open('/resources/funds');
    const queue = page.getByTestId('fund-request-queue');
    await queue.getByText('社区门店端架陈列').waitFor();
    await expectBalance('fund-totals', {
      allocated: 5_000_000,
      pending: 3_000_000,
      approved: 0,
      paid: 0,
    });
    await queue
      .locator('tr', { hasText: '社区门店端架陈列' })
      .getByTestId('fund-request-approve')
      .click();
    await expectBalance('fund-totals', {
      allocated: 5_000_000,
      pending: 0,
      approved: 3_000_000,
      paid: 0,
    });
    await queue.getByText('社区门店端架陈列').waitFor({ state: 'detached' });
  });

  it('lets the dealer claim against the approved request with a proof file', async () => {
    await newContext(dealerState);
    await open('/portal');
    await expectBalance('portal-fund-balance', {
      allocated: 5_000_000,
      pending: 0,
      approved: 3_000_000,
      paid: 0,
    });
    await page
      .getByTestId('portal-fund-request')
      .filter({ hasText: '社区门店端架陈列' })
      .getByTestId('fund-claim-new')
      .click();
    await page.getByTestId('fund-claim-amount').fill('28000');
    await page.getByTestId('fund-claim-note').fill('实际发生 28,000 元');
    // No file yet: refused in the browser.
    await page.getByTestId('fund-claim-submit').click();
    await page.locator('.ant-modal').getByText('请至少上传一个凭证文件').waitFor();
    await page
      .locator('.ant-modal input[type="file"]')
      .setInputFiles({ name: '陈列发票.pdf', mimeType: 'application/pdf', buffer: PROOF });
    await page.locator('.ant-modal').getByText('陈列发票.pdf').waitFor();
    await page.getByTestId('fund-claim-submit').click();
    const claim = page
      .getByTestId('portal-fund-request')
      .filter({ hasText: '社区门店端架陈列' })
      .getByTestId('portal-fund-claim')
      .first();
    await claim.waitFor();
    await expect(claim.getByTestId('fund-claim-status').getAttribute('data-status')).resolves.toBe(
      'submitted',
    );
    await expect(claim.getByTestId('fund-proof-link').innerText()).resolves.toContain(
      '陈列发票.pdf',
    );
    // The request stays committed in full until the claim is decided.
    await expectBalance('portal-fund-balance', {
      allocated: 5_000_000,
      pending: 0,
      approved: 3_000_000,
      paid: 0,
    });
  });

  it('lets the admin check the proof, approve the claim and record the payment', async () => {
    await newContext(adminState);
    await open('/resources/funds');
    await page.getByTestId('fund-tab-claims').click();
    const claims = page
      .getByTestId('fund-claim-queue')
      .locator('tr', { hasText: '社区门店端架陈列' });
    await claims.getByTestId('fund-proof-link').first().waitFor();
    // The proof file downloads as it was sent.
    const href = await claims.getByTestId('fund-proof-link').first().getAttribute('href');
    const download = await context.request.get(href!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
    expect(Buffer.from(await download.body()).equals(PROOF)).toBe(true);

    // The request's detail: its claim, proof and history.
    await claims.getByTestId('fund-request-open').first().click();
    const drawer = page.getByTestId('fund-request-drawer');
    await drawer.getByTestId('fund-drawer-claim').waitFor();
    await drawer.getByText('陈列发票.pdf').waitFor();
    await drawer.getByTestId('fund-claim-approve').click();
    await drawer
      .getByTestId('fund-claim-status')
      .and(page.locator('[data-status="approved"]'))
      .waitFor();
    await expect(drawer.getByTestId('fund-history').innerText()).resolves.toMatch(
      /申请 #\d+ 提交[\s\S]*申请 #\d+ 批准[\s\S]*核销 #\d+ 提交[\s\S]*核销 #\d+ 批准/,
    );
    await saveScreenshot(page, 'funds-request-drawer');
    await page.keyboard.press('Escape');
    await expectBalance('fund-totals', {
      allocated: 5_000_000,
      pending: 0,
      approved: 2_800_000,
      paid: 0,
    });

    await page.getByTestId('fund-tab-payments').click();
    const payments = page
      .getByTestId('fund-payment-queue')
      .locator('tr', { hasText: '社区门店端架陈列' });
    await payments.getByTestId('fund-pay').click();
    await page.getByTestId('fund-pay-confirm').click();
    await page.locator('.ant-modal').getByText('请填写付款凭证号').waitFor();
    await page.getByTestId('fund-pay-reference').fill('BANK-2026-1208-001');
    await page.getByTestId('fund-pay-confirm').click();
    await expectBalance('fund-totals', {
      allocated: 5_000_000,
      pending: 0,
      approved: 2_800_000,
      paid: 2_800_000,
    });
  });

  it('shows the dealer the payment and its balance', async () => {
    await newContext(dealerState);
    const funds = await api<PortalFunds>(context.request, '/api/v1/portal/funds');
    const d = before.dealer;
    expect(funds.balance).toEqual({
      allocated: d.allocated + 5_000_000,
      pending: d.pending,
      approved: d.approved + 2_800_000,
      paid: d.paid + 2_800_000,
      available: d.allocated - d.pending - d.approved + 2_200_000,
    });
    await open('/portal');
    await expectBalance('portal-fund-balance', {
      allocated: 5_000_000,
      pending: 0,
      approved: 2_800_000,
      paid: 2_800_000,
    });
    const claim = page
      .getByTestId('portal-fund-request')
      .filter({ hasText: '社区门店端架陈列' })
      .getByTestId('portal-fund-claim')
      .first();
    await expect(claim.getByTestId('fund-claim-status').getAttribute('data-status')).resolves.toBe(
      'paid',
    );
    await claim.getByText('BANK-2026-1208-001').waitFor();
    await page.getByTestId('portal-funds').scrollIntoViewIfNeeded();
  });
});
