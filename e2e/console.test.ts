import { readFile } from 'node:fs/promises';
import type {
  DealerFacets,
  DealerPage,
  DealerStatus,
  DecisionPage,
  MetricCatalogue,
  RunSummary,
  SessionInfo,
  TenantInfo,
} from '@tierline/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtInMetrics } from '../packages/web/src/tiering/builtin-metrics.js';
import {
  api,
  demoPassword,
  fileNameFor,
  launchChromium,
  saveScreenshot,
  signedInState,
  startDemoServer,
  type RunningServer,
} from './helpers.js';

// The demo channel of these tests: 150 dealers, 36 months up to 2026-10, seed 7.
const dealerCount = 150;

let server: RunningServer | undefined;
let browser: Browser | undefined;
let adminState: Awaited<ReturnType<typeof signedInState>> | undefined;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];

function running(): RunningServer {
  if (server === undefined) throw new Error('the server did not start');
  return server;
}

async function open(path: string): Promise<void> {
  await page.goto(`${running().url}${path}`);
}

/** Text of the dealer-list rows' code cells, in order. */
async function rowCodes(): Promise<string[]> {
  return page
    .locator('[data-testid="dealer-table"] tbody tr.ant-table-row td:first-child')
    .allInnerTexts();
}

/**
 * The rows once the table shows the page whose first code satisfies `ready`: the pager's label
 * changes on click, while the rows change when the next page has arrived (the previous page
 * stays on screen meanwhile), so a slow machine must not be read in between.
 */
async function rowCodesWhen(ready: (firstCode: string) => boolean): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const codes = await rowCodes();
    if (codes[0] !== undefined && ready(codes[0])) return codes;
    if (Date.now() > deadline) throw new Error(`the table still shows ${codes[0] ?? 'nothing'}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until the list's total line reads `text` and the table stopped loading. */
async function expectTotal(text: string): Promise<void> {
  await page.getByTestId('dealer-total').filter({ hasText: text }).waitFor();
  await page
    .locator('[data-testid="dealer-table"] .ant-spin-spinning')
    .waitFor({ state: 'detached' });
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchChromium();
  adminState = await signedInState(server, 'admin');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type SignedInState = Awaited<ReturnType<typeof signedInState>>;

/** A fresh browser context: signed in as the demo admin (or with `state`), or signed out. */
async function newContext(signedIn: boolean, state?: SignedInState): Promise<void> {
  if (browser === undefined) throw new Error('Chromium did not start');
  const storageState = state ?? (signedIn ? adminState : undefined);
  context = await browser.newContext({
    baseURL: running().url,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(storageState !== undefined ? { storageState } : {}),
  });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
}

afterEach(async ({ task }) => {
  await saveScreenshot(page, fileNameFor(task.name));
  await context.close();
  // An uncaught error in the console is a failure even when the page looked right.
  expect(pageErrors).toEqual([]);
});

describe('Tierline web console', () => {
  beforeEach(() => newContext(true));

  it('opens in Chinese with every section in the navigation', async () => {
    await open('/');
    const nav = page.getByTestId('nav');
    // The shell appears once the session is known.
    await nav.getByText('仪表盘', { exact: true }).waitFor();
    for (const label of [
      '仪表盘',
      '经销商',
      '分级策略',
      '评估审批',
      '资源配置',
      '预警',
      '数据导入',
      '可验证记录',
      '验证',
      '系统管理',
      'API 文档',
    ]) {
      await expect(nav.getByText(label, { exact: true }).count()).resolves.toBe(1);
    }
    // The portal is the dealer users' page; staff never need it.
    await expect(nav.getByText('经销商门户', { exact: true }).count()).resolves.toBe(0);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect(page.getByTestId('product-name').innerText()).resolves.toBe(
      'Tierline 经销商分级管理',
    );
    // The dashboard's figures come from the API: 150 dealers and the demo's data range.
    await page
      .getByTestId('kpi-total-dealers')
      .filter({ hasText: String(dealerCount) })
      .waitFor();
    await page.getByTestId('kpi-data-range').filter({ hasText: '2026-10' }).waitFor();
    await expect(page.getByTestId('dashboard-later').innerText()).resolves.toContain('预警');
    // The demo publishes 12 months of tiers: their distribution and migrations are on show.
    await page.getByTestId('dashboard-tiers').filter({ hasText: '截至 2026-10' }).waitFor();
    await page.getByTestId('migration-sankey').locator('canvas').waitFor();
    // Let the charts' entry animation finish before the screenshot.
    await page.waitForTimeout(600);
  });

  it('switches to English and keeps the choice after a reload', async () => {
    await open('/dealers');
    await page.getByTestId('dealer-total').filter({ hasText: '共' }).waitFor();
    await page.getByTestId('language-switch').getByText('English').click();

    const nav = page.getByTestId('nav');
    await nav.getByText('Dashboard', { exact: true }).waitFor();
    for (const label of ['Dealers', 'Policies', 'Assessments', 'Alerts', 'Ledger']) {
      await expect(nav.getByText(label, { exact: true }).count()).resolves.toBe(1);
    }
    await page
      .getByTestId('dealer-total')
      .filter({ hasText: `${dealerCount} dealers` })
      .waitFor();
    await page.getByRole('columnheader', { name: 'Onboarded' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');

    await page.reload();
    await page.getByTestId('nav').getByText('Dealers', { exact: true }).waitFor();
    await page
      .getByTestId('dealer-total')
      .filter({ hasText: `${dealerCount} dealers` })
      .waitFor();
  });

  it('lists dealers with the total and pages forward and back', async () => {
    await open('/dealers');
    await expectTotal(`共 ${dealerCount} 家经销商`);
    await expect(page.getByTestId('dealer-page').innerText()).resolves.toBe('第 1 / 3 页');
    const first = await rowCodes();
    expect(first).toHaveLength(50);
    expect([...first].sort()).toEqual(first);

    await page.getByTestId('page-next').click();
    await page.getByTestId('dealer-page').filter({ hasText: '第 2 / 3 页' }).waitFor();
    await expectTotal(`共 ${dealerCount} 家经销商`);
    const second = await rowCodesWhen((code) => code !== first[0]);
    expect(second).toHaveLength(50);
    expect((second[0] ?? '') > (first.at(-1) ?? '')).toBe(true);
    expect(page.url()).toContain('cursor=');

    await page.getByTestId('page-prev').click();
    await page.getByTestId('dealer-page').filter({ hasText: '第 1 / 3 页' }).waitFor();
    await expectTotal(`共 ${dealerCount} 家经销商`);
    expect(await rowCodesWhen((code) => code === first[0])).toEqual(first);
  });

  it('narrows the list when searching a dealer name', async () => {
    // A real name from the API, so the test follows whatever the demo generator produces.
    const sample = await api<DealerPage>(context.request, '/api/v1/dealers?limit=50&sort=name');
    const target = sample.items[17] ?? sample.items[0];
    if (target === undefined) throw new Error('the demo has no dealers');

    await open('/dealers');
    await expectTotal(`共 ${dealerCount} 家经销商`);
    await page.getByTestId('dealer-search').fill(target.name);
    await page.waitForURL((url) => url.searchParams.get('q') === target.name);
    await page
      .getByTestId('dealer-total')
      .filter({ hasNotText: `共 ${dealerCount} 家` })
      .waitFor();
    await page
      .locator('[data-testid="dealer-table"] .ant-spin-spinning')
      .waitFor({ state: 'detached' });

    const names = await page.getByTestId('dealer-link').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThan(dealerCount);
    expect(names).toContain(target.name);
    for (const name of names) expect(name.toLowerCase()).toContain(target.name.toLowerCase());

    // The search is in the URL: a reload shows the same list.
    await page.reload();
    await expect(page.getByTestId('dealer-search').inputValue()).resolves.toBe(target.name);
    await page.getByTestId('dealer-link').filter({ hasText: target.name }).first().waitFor();
  });

  it('filters by status', async () => {
    const facets = await api<DealerFacets>(context.request, '/api/v1/dealers/facets');
    const labels: Record<DealerStatus, string> = {
      active: '合作中',
      probation: '考察期',
      suspended: '已暂停',
      terminated: '已终止',
    };
    const candidates = (['probation', 'suspended', 'terminated'] as const).filter(
      (s) => (facets.statusCounts[s] ?? 0) > 0,
    );
    const status: DealerStatus = candidates[0] ?? 'active';
    const expected = facets.statusCounts[status] ?? 0;

    await open('/dealers');
    await expectTotal(`共 ${dealerCount} 家经销商`);
    await page.getByTestId('filter-status').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: labels[status] })
      .click();
    await page.keyboard.press('Escape');
    await expectTotal(`共 ${expected} 家经销商`);
    expect(page.url()).toContain(`status=${status}`);

    const statuses = await page
      .locator('[data-testid="dealer-table"] [data-testid="dealer-status"]')
      .evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-status')));
    expect(statuses.length).toBe(Math.min(expected, 50));
    expect(new Set(statuses)).toEqual(new Set([status]));
  });

  it('opens a dealer with its master data and the monthly chart', async () => {
    await open('/dealers');
    await expectTotal(`共 ${dealerCount} 家经销商`);
    const link = page.getByTestId('dealer-link').nth(2);
    const name = await link.innerText();
    await link.click();

    await page.waitForURL(/\/dealers\/\d+$/);
    await page.getByTestId('dealer-name').filter({ hasText: name }).waitFor();
    const id = new URL(page.url()).pathname.split('/').pop();
    const master = page.getByTestId('dealer-master-data');
    for (const label of [
      '法人主体',
      '层级',
      '上级经销商',
      '渠道类型',
      '地区',
      '签约日期',
      '联系人',
    ]) {
      await master.getByText(label, { exact: true }).waitFor();
    }
    const detail = await api<{ region: { path: string[] }; months: unknown[] }>(
      context.request,
      `/api/v1/dealers/${id}`,
    );
    await expect(page.getByTestId('dealer-region').innerText()).resolves.toBe(
      detail.region.path.join(' / '),
    );

    const canvas = page.getByTestId('dealer-sales-chart').locator('canvas');
    await canvas.waitFor();
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    expect(box?.height).toBeGreaterThan(300);
    expect(detail.months.length).toBe(36);
    const rows = page.locator('[data-testid="dealer-latest-months"] tbody tr.ant-table-row');
    await expect(rows.count()).resolves.toBe(6);
    await expect(rows.first().locator('td').first().innerText()).resolves.toBe('2026-10');
    // Let the chart's entry animation finish before the screenshot.
    await page.waitForTimeout(600);
  });

  it('shows a not-found page for an unknown dealer id', async () => {
    await open('/dealers/987654321');
    await page.getByTestId('dealer-not-found').waitFor();
    await expect(page.getByTestId('dealer-not-found').innerText()).resolves.toContain(
      '找不到该经销商',
    );
    await page.getByTestId('dealer-not-found').getByText('经销商列表').click();
    await page.getByTestId('dealer-list').waitFor();
  });

  it('opens the alert board with the demo channel’s alerts', async () => {
    await open('/');
    await page.getByTestId('nav-alerts').click();
    await page.waitForURL(/\/alerts$/);
    await page.getByTestId('alerts-page').waitFor();
    // Open and acknowledged alerts by default, each linking to its dealer and its report.
    await tableRows('alert-table').first().waitFor();
    await expect(tableRows('alert-table').count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('alert-total').innerText()).resolves.toMatch(/^共 [\d,]+ 条$/);
    await expect(
      page.locator('[data-testid="alert-table"] a[href^="/dealers/"]').count(),
    ).resolves.toBeGreaterThan(0);
  });

  it('writes an alert rule in the form, previews it on past months and saves it', async () => {
    await open('/alerts/rules');
    await tableRows('rule-table').first().waitFor();
    await page.getByTestId('rule-new').click();
    // A new rule starts from the first default rule, in the form.
    await page.getByTestId('rule-form').waitFor();
    await page.getByTestId('rule-form-code').fill('e2e_decline');
    await page.getByTestId('rule-form-name').fill('E2E 销售额环比下滑');
    await page.getByTestId('rule-param-compare').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '环比（与前一窗口）' }).click();
    // Month over month takes a window, not the baseline's level and swing.
    await page.getByTestId('rule-param-window').waitFor();
    await expect(page.getByTestId('rule-param-swing').count()).resolves.toBe(0);
    await page.getByTestId('rule-param-percent').fill('30');
    // The JSON follows the form.
    await page.getByTestId('rule-editor-mode').getByText('JSON').click();
    const json = JSON.parse(await page.getByTestId('rule-json').inputValue()) as {
      code: string;
      kind: string;
      params: Record<string, unknown>;
    };
    expect(json).toMatchObject({
      code: 'e2e_decline',
      kind: 'decline',
      params: { compare: 'mom', percent: 30, window: 1 },
    });
    expect(json.params).not.toHaveProperty('swing');
    await page.getByTestId('rule-editor-mode').getByText('表单').click();
    await page.getByTestId('rule-preview').click();
    await page.getByTestId('rule-preview-result').waitFor();
    await saveScreenshot(page, 'alert-rule-form-with-preview');
    await page.getByTestId('rule-save').click();
    await tableRows('rule-table').filter({ hasText: 'e2e_decline' }).waitFor();
  });
});

/** Fills the sign-in form and submits it. */
async function signInThroughPage(login: string, password = demoPassword): Promise<void> {
  await page.getByTestId('signin-login').fill(login);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/** The status of an API request made by the page itself, with its session cookie. */
async function statusFromPage(path: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url)).status, path);
}

function tableRows(testId: string) {
  return page.locator(`[data-testid="${testId}"] tbody tr.ant-table-row`);
}

describe('sign-in and roles', () => {
  beforeEach(() => newContext(false));

  it('signs an admin in through the sign-in page and back to the users page', async () => {
    await open('/settings/users');
    await page.waitForURL(
      (url) => url.pathname === '/signin' && url.searchParams.get('next') === '/settings/users',
    );
    await page.getByTestId('signin-other-tenant').click();
    await page.getByTestId('signin-tenant').fill('demo');
    await page.getByTestId('signin-demo').waitFor();

    // A wrong password gets the server's message, which never says which part was wrong.
    await signInThroughPage('admin', 'not-the-password');
    await page.getByTestId('signin-error').filter({ hasText: '登录失败' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    await saveScreenshot(page, 'sign-in-page-after-a-wrong-password');

    await signInThroughPage('admin');
    await page.waitForURL((url) => url.pathname === '/settings/users');
    await expect(page.getByTestId('user-name').innerText()).resolves.toBe('渠道总监 Admin');
    await tableRows('user-table').first().waitFor();
    const logins = await tableRows('user-table').locator('td:first-child').allInnerTexts();
    expect([...logins].sort()).toEqual(['admin', 'analyst', 'dealer', 'manager']);
    const manager = tableRows('user-table').filter({
      has: page.locator('td:first-child', { hasText: /^manager$/ }),
    });
    await expect(manager.innerText()).resolves.toMatch(
      /渠道经理[\s\S]*浙江省[\s\S]*江苏省|渠道经理[\s\S]*江苏省[\s\S]*浙江省/,
    );
    const dealer = tableRows('user-table').filter({
      has: page.locator('td:first-child', { hasText: /^dealer$/ }),
    });
    await expect(dealer.innerText()).resolves.toContain('经销商用户');
    // Settings is open in the navigation, with the page on screen selected.
    await page.getByTestId('nav-tokens').waitFor();
    await page.getByTestId('nav-audit').waitFor();

    // When the session ends (here: its cookie is gone), the next API call's 401 brings the
    // sign-in page back, which returns to the page that was asked for.
    await context.clearCookies();
    await page.getByTestId('nav-tokens').click();
    await page.waitForURL(
      (url) => url.pathname === '/signin' && url.searchParams.get('next') === '/settings/tokens',
    );
  });

  it('lands a dealer user on its own dealer in the portal and nowhere else', async () => {
    await open('/');
    await page.waitForURL((url) => url.pathname === '/signin');
    await signInThroughPage('dealer');
    await page.waitForURL((url) => url.pathname === '/portal');

    const session = await api<SessionInfo>(context.request, '/api/v1/session');
    expect(session.user.role).toBe('dealer');
    const own = session.user.dealer;
    if (own === null) throw new Error('the demo dealer user has no dealer');
    await page.getByTestId('dealer-name').filter({ hasText: own.name }).waitFor();
    await expect(page.getByTestId('dealer-code').innerText()).resolves.toBe(own.code);
    // Its own resource package (PRODUCT §4), from GET /portal/package.
    await page.getByTestId('package-card').waitFor();
    // Its own tier, explained, from GET /portal/tier.
    await page.getByTestId('tier-card').getByTestId('decision-explanation').waitFor();
    const canvas = page.getByTestId('dealer-sales-chart').locator('canvas');
    await canvas.waitFor();

    // The portal alone in the navigation, and no link to any other dealer.
    const nav = page.getByTestId('nav');
    await expect(nav.locator('.ant-menu-item').count()).resolves.toBe(1);
    await expect(nav.getByText('经销商门户', { exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('a[href^="/dealers"]').count()).resolves.toBe(0);

    // The API refuses the staff routes to this session, whatever the console shows.
    expect(await statusFromPage('/api/v1/dealers')).toBe(403);
    expect(await statusFromPage(`/api/v1/dealers/${own.id}`)).toBe(403);
    expect(await statusFromPage('/api/v1/users')).toBe(403);
    await page.waitForTimeout(600);
    await saveScreenshot(page, 'dealer-portal');

    await open('/dealers');
    await page.getByTestId('forbidden').waitFor();
    await expect(page.getByTestId('dealer-list').count()).resolves.toBe(0);
    await expect(page.getByTestId('dealer-table').count()).resolves.toBe(0);
  });

  it('shows a channel manager only the dealers of their regions, then signs out', async () => {
    await open('/dealers');
    await page.waitForURL((url) => url.pathname === '/signin');
    await signInThroughPage('manager');
    await page.waitForURL((url) => url.pathname === '/dealers');
    await page.getByTestId('dealer-total').filter({ hasText: '共' }).waitFor();

    const all = await api<DealerPage>(context.request, '/api/v1/dealers?limit=500');
    expect(all.total).toBeGreaterThan(0);
    expect(all.total).toBeLessThan(dealerCount);
    await page
      .getByTestId('dealer-total')
      .filter({ hasText: `共 ${all.total} 家经销商` })
      .waitFor();
    // Their regions' dealers, and the sub-dealers of those wherever they are.
    const ids = new Set(all.items.map((dealer) => dealer.id));
    for (const dealer of all.items) {
      const own = ['浙江省', '江苏省'].includes(dealer.region.path[0] ?? '');
      expect(own || (dealer.parent !== null && ids.has(dealer.parent.id))).toBe(true);
    }
    await expect(page.getByTestId('nav').getByText('系统管理').count()).resolves.toBe(0);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(await statusFromPage('/api/v1/session')).toBe(401);
    expect(await statusFromPage('/api/v1/dealers')).toBe(401);
  });

  it('changes a password: the wrong current one is refused, the new one signs in', async () => {
    const newPassword = 'analyst-new-pass-2026';
    await open('/signin');
    await signInThroughPage('analyst');
    await page.waitForURL((url) => url.pathname === '/');

    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-change-password').click();
    const form = page.getByTestId('change-password-form');
    await form.locator('#currentPassword').fill('not-my-password');
    await form.locator('#newPassword').fill(newPassword);
    await form.locator('#confirm').fill(newPassword);
    await page.getByTestId('change-password-save').click();
    await form.locator('.ant-alert-error').waitFor();

    await form.locator('#currentPassword').fill(demoPassword);
    await page.getByTestId('change-password-save').click();
    await form.waitFor({ state: 'detached' });
    // Still signed in: the change ends the other sessions only.
    expect(await statusFromPage('/api/v1/session')).toBe(200);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-sign-out').click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await signInThroughPage('analyst', newPassword);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('dashboard').waitFor();
  });
});

describe('administration', () => {
  beforeEach(() => newContext(true));

  it('creates an API token, shows its secret once, and revokes it', async () => {
    await open('/settings/tokens');
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-name').fill('SAP 订单对接');
    await page.getByTestId('token-form-save').click();

    const shown = page.getByTestId('token-secret');
    await shown.waitFor();
    const secret = /tl_\S+/.exec(await shown.innerText())?.[0];
    if (secret === undefined) throw new Error('no secret on screen');
    // Let the dialog's zoom-in finish: the screenshot would catch it transparent.
    await page.waitForTimeout(500);
    await saveScreenshot(page, 'api-token-secret-shown-once');
    const asToken = (path: string) =>
      fetch(`${running().url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await asToken('/api/v1/tenant')).status).toBe(200);

    await page.getByTestId('token-secret-done').click();
    await shown.waitFor({ state: 'detached' });
    const row = tableRows('token-table').filter({ hasText: 'SAP 订单对接' });
    await row.waitFor();
    await expect(row.getByTestId('token-state').innerText()).resolves.toBe('有效');
    // Shown once: the secret is nowhere on the page once the dialog is closed.
    await expect(page.locator('body').innerText()).resolves.not.toContain(secret);

    await row.getByTestId('token-revoke').click();
    await page.getByTestId('token-revoke-confirm').click();
    await row.getByTestId('token-state').filter({ hasText: '已吊销' }).waitFor();
    expect((await asToken('/api/v1/tenant')).status).toBe(401);
  });

  it('browses the audit trail with before and after, filters it and exports it', async () => {
    // A write made through the API with the session's CSRF token, to find in the trail.
    const session = await api<SessionInfo>(context.request, '/api/v1/session');
    const created = await context.request.post('/api/v1/tokens', {
      data: { name: 'audit probe', scope: 'read' },
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(created.status()).toBe(201);
    const refused = await context.request.post('/api/v1/tokens', {
      data: { name: 'no csrf', scope: 'read' },
    });
    expect(refused.status()).toBe(403);

    await open('/settings/audit');
    await tableRows('audit-table').first().waitFor();
    const actions = await page.getByTestId('audit-action').allInnerTexts();
    expect(actions).toContain('token.create');
    expect(actions).toContain('session.sign_in');

    await page.getByTestId('audit-filter-action').locator('input').fill('token.');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-filter-apply').click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'token.');
    // The rows follow the filter once the filtered page has arrived.
    await expect
      .poll(async () => {
        const shown = await page.getByTestId('audit-action').allInnerTexts();
        return shown.length > 0 && shown.every((action) => action.startsWith('token.'));
      })
      .toBe(true);

    const probe = tableRows('audit-table').filter({ hasText: 'token.create' }).first();
    await probe.locator('.ant-table-row-expand-icon').click();
    const detail = page.getByTestId('audit-detail').first();
    await detail.waitFor();
    await expect(detail.innerText()).resolves.toContain('audit probe');
    await saveScreenshot(page, 'audit-trail-filtered-and-expanded');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('audit-export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const path = await download.path();
    const csv = await readFile(path, 'utf8');
    expect(csv).toContain('token.create');
    expect(csv).not.toContain('session.sign_in');
  });

  it('imports a payments CSV: preview, dry run with a report, fixed file, import, history', async () => {
    const header = '回款单号,经销商编码,回款日期,回款金额';
    const good = ['E2E-PAY-1,DL000001,2026-10-20,"1,200.50"', 'E2E-PAY-2,DL000002,2026-10-21,350'];
    const chooseFile = (name: string, lines: string[]) =>
      page.locator('[data-testid="imports-page"] input[type="file"]').setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(`${[header, ...lines].join('\n')}\n`),
      });

    await open('/imports');
    await page.getByTestId('import-kind').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: /^回款$/ })
      .click();

    // A file with one bad row: the preview marks the cell, the dry run reports the row.
    await chooseFile('回款-有误.csv', [...good, 'E2E-PAY-3,DL000003,2026-10-22,-5']);
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    await expect(page.getByTestId('import-preview-encoding').innerText()).resolves.toBe('utf-8');
    await expect(page.getByTestId('import-preview-delimiter').innerText()).resolves.toBe(',');
    await expect(preview.locator('[data-field="dealer_code"]').innerText()).resolves.toBe(
      '第 2 列：经销商编码',
    );
    await expect(page.getByTestId('import-bad-cell').innerText()).resolves.toContain(
      // In the console's language, from the reason's code.
      '不能为负数',
    );
    await page.getByTestId('import-dry-run').click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    await expect(result.getAttribute('data-outcome')).resolves.toBe('rejected');
    const issue = tableRows('import-issues');
    await expect(issue.count()).resolves.toBe(1);
    // The reason in the console's language, on the page and in the downloaded report.
    await expect(issue.first().innerText()).resolves.toMatch(
      /^4\s+回款金额[\s\S]*-5[\s\S]*不能为负数/,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-report-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('回款-有误-issues.csv');
    const report = await readFile(await download.path(), 'utf8');
    expect(report).toContain('文件,行,列,字段,值,原因');
    expect(report).toContain('不能为负数');
    await saveScreenshot(page, 'import-dry-run-with-a-bad-row');

    // The fixed file: valid on a dry run, then imported.
    await chooseFile('回款-e2e.csv', good);
    await page.getByTestId('import-preview-verdict').filter({ hasText: '均有效' }).waitFor();
    await page.getByTestId('import-dry-run').click();
    await page.locator('[data-testid="import-result"][data-outcome="validated"]').waitFor();
    await page.getByTestId('import-commit').click();
    await page.locator('[data-testid="import-result"][data-outcome="applied"]').waitFor();
    await expect(page.getByTestId('import-count-inserted').innerText()).resolves.toContain('2');

    const batch = tableRows('import-history').filter({ hasText: '回款-e2e.csv' });
    await batch.waitFor();
    await expect(batch.innerText()).resolves.toMatch(/回款[\s\S]*已导入[\s\S]*admin/);
    await saveScreenshot(page, 'import-applied-with-history');
    await batch.click();
    const detail = page.getByTestId('import-batch-detail');
    await detail.waitFor();
    await expect(detail.innerText()).resolves.toContain('回款-e2e.csv');
    // Let the drawer slide in: the screenshot would catch it half-way.
    await page.waitForTimeout(500);
    await saveScreenshot(page, 'import-batch-drawer');
    // A dry run records no batch.
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    const rejected = tableRows('import-history').filter({ hasText: '回款-有误.csv' });
    await expect(rejected.count()).resolves.toBe(0);
  });

  it('makes a mapping in the editor: previewed unsaved, saved, then selected', async () => {
    await open('/imports');
    await page.getByTestId('import-kind').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: /^回款$/ })
      .click();
    await page.locator('[data-testid="imports-page"] input[type="file"]').setInputFiles({
      name: '金蝶回款.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('回款单号,客户,回款日期,回款金额\nKD-1,DL000001,2026-10-20,5\n'),
    });
    // The customer column matches no alias of dealer_code.
    await page.getByTestId('import-preview-problem').waitFor();
    await page.getByTestId('import-mapping-new').click();
    const editor = page.getByTestId('mapping-editor');
    await editor.getByTestId('mapping-editor-name').fill('e2e 金蝶回款');
    await editor.locator('[data-testid="mapping-source"][data-field="dealer_code"]').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: /^列$/ })
      .click();
    await editor.getByTestId('mapping-column-dealer_code').locator('input').fill('客户');
    await editor.getByTestId('mapping-editor-preview').click();
    await editor.getByTestId('import-preview-verdict').filter({ hasText: '均有效' }).waitFor();
    await saveScreenshot(page, 'import-mapping-editor');
    await editor.getByTestId('mapping-editor-save').click();
    await editor.waitFor({ state: 'detached' });
    await expect(page.getByTestId('import-mapping').innerText()).resolves.toBe('e2e 金蝶回款');
    await page.getByTestId('import-preview-verdict').filter({ hasText: '均有效' }).waitFor();
  });

  it('creates a channel manager scoped to a province, then disables them', async () => {
    await open('/settings/users');
    await tableRows('user-table').first().waitFor();
    await page.getByTestId('user-create').click();
    const form = page.getByTestId('user-form');
    await form.getByTestId('user-login').fill('e2e.manager');
    await form.getByTestId('user-display-name').fill('华东经理');
    await form.getByTestId('user-role').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '渠道经理' })
      .click();
    await form.getByTestId('user-regions').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper')
      .filter({ hasText: '浙江省' })
      .click();
    await page.keyboard.press('Escape');
    await form.getByTestId('user-password').fill('e2e-manager-pass');
    await form.getByTestId('user-password-confirm').fill('e2e-manager-pass');
    await page.waitForTimeout(300);
    await saveScreenshot(page, 'create-a-channel-manager');
    await page.getByTestId('user-form-save').click();
    await form.waitFor({ state: 'detached' });

    const row = tableRows('user-table').filter({
      has: page.locator('td:first-child', { hasText: /^e2e\.manager$/ }),
    });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/渠道经理[\s\S]*浙江省[\s\S]*启用/);

    await row.getByTestId('user-disable').click();
    await page.getByTestId('user-disable-confirm').click();
    await row.getByText('已停用', { exact: true }).waitFor();
  });
});

describe('tiering', () => {
  let managerState: SignedInState | undefined;

  beforeAll(async () => {
    managerState = await signedInState(running(), 'manager');
  });

  it('reviews an assessment as the channel manager and explains a decision', async () => {
    await newContext(false, managerState);
    const tenant = await api<TenantInfo>(context.request, '/api/v1/tenant');
    const published = await api<{ items: RunSummary[] }>(
      context.request,
      '/api/v1/assessments?status=published',
    );
    const latest = published.items[0];
    if (latest === undefined) throw new Error('the demo has no published assessment');

    await open('/assessments');
    await tableRows('run-table').first().waitFor();
    const dataTo = tenant.dataRange?.to ?? latest.period;
    if (dataTo > latest.period) {
      // Data beyond the latest published month: compute its draft (the form suggests it).
      await expect(page.getByTestId('compute-period').inputValue()).resolves.toBe(
        nextMonth(latest.period),
      );
      await page.getByTestId('compute-submit').click();
    } else {
      await tableRows('run-table').filter({ hasText: latest.period }).first().click();
    }
    await page.waitForURL(/\/assessments\/\d+$/);
    const run = page.getByTestId('run-page');
    await run.waitFor();
    const status = await run.getAttribute('data-status');
    // The maker may not be the checker: a channel manager has no approve or publish button.
    await expect(page.getByTestId('run-approve').count()).resolves.toBe(0);
    await expect(page.getByTestId('run-publish').count()).resolves.toBe(0);

    // Only the manager's own dealers, a page at a time.
    const runId = new URL(page.url()).pathname.split('/').pop();
    const own = await api<DecisionPage>(
      context.request,
      `/api/v1/assessments/${runId}/decisions?limit=1`,
    );
    expect(own.total).toBeGreaterThan(0);
    expect(own.total).toBeLessThan(dealerCount);
    await page
      .getByTestId('decision-total')
      .filter({ hasText: `共 ${own.total} 家` })
      .waitFor();

    const first = tableRows('decision-table').first();
    const dealerName = await first.getByTestId('decision-dealer').innerText();
    await first.click();
    const detail = page.getByTestId('decision-detail');
    await detail.waitFor();
    await expect(page.getByTestId('decision-drawer').innerText()).resolves.toContain(dealerName);
    // Tier, standing, reasons as words (never codes), the score's parts.
    await detail.getByTestId('tier-tag').first().waitFor();
    await detail.getByTestId('standing-tag').waitFor();
    const reasons = await detail.getByTestId('reason-tags').innerText();
    expect(reasons).not.toMatch(/[a-z]_[a-z]/);
    await detail.getByTestId('score-breakdown').locator('canvas').waitFor();
    await expect(detail.innerText()).resolves.toMatch(
      /距「.+」还差什么|保住「.+」需要什么|已是最高等级/,
    );
    // A draft takes overrides with a reason; a published run does not.
    await expect(page.getByTestId('override-form').count()).resolves.toBe(
      status === 'draft' ? 1 : 0,
    );
    // Let the drawer slide in: the screenshot (taken after the test) would catch it half-way.
    await page.waitForTimeout(600);
  });

  it("shows an admin a dealer's tier card with its explanation and history", async () => {
    await newContext(true);
    const published = await api<{ items: RunSummary[] }>(
      context.request,
      '/api/v1/assessments?status=published',
    );
    const latest = published.items[0];
    if (latest === undefined) throw new Error('the demo has no published assessment');
    // A dealer at risk shows what it takes to keep its tier; any dealer will do otherwise.
    const atRisk = await api<DecisionPage>(
      context.request,
      `/api/v1/assessments/${latest.id}/decisions?standing=at_risk&limit=1`,
    );
    const any = await api<DecisionPage>(
      context.request,
      `/api/v1/assessments/${latest.id}/decisions?limit=1`,
    );
    const decision = atRisk.items[0] ?? any.items[0];
    if (decision === undefined) throw new Error('the latest run has no decision');

    await open(`/dealers/${decision.dealer.id}`);
    const card = page.getByTestId('tier-card');
    await card.getByTestId('decision-explanation').waitFor();
    await expect(card.innerText()).resolves.toContain(`评估期 ${latest.period}`);
    await expect(card.getByTestId('tier-tag').first().getAttribute('data-tier')).resolves.toBe(
      decision.tier,
    );
    if (decision.standing === 'at_risk') await card.getByTestId('tier-hold').waitFor();
    await card.getByTestId('score-breakdown').locator('canvas').waitFor();
    await card.getByTestId('tier-history').locator('canvas').waitFor();

    // The console's copy of the built-in metric names (for the portal) matches the catalogue.
    const catalogue = await api<MetricCatalogue>(context.request, '/api/v1/policies/catalogue');
    for (const metric of catalogue.metrics) {
      expect(builtInMetrics[metric.key], metric.key).toEqual({
        zh: metric.name.zh,
        en: metric.name.en,
        unit: metric.unit,
        direction: metric.direction,
      });
    }
    expect(Object.keys(builtInMetrics).sort()).toEqual(catalogue.metrics.map((m) => m.key).sort());
    await page.waitForTimeout(600);
  });
});

/** The month after 'YYYY-MM'. */
function nextMonth(month: string): string {
  const [year = 0, mon = 0] = month.split('-').map(Number);
  const index = year * 12 + mon;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
