import type { DealerFacets, DealerPage, DealerStatus } from '@tierline/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  api,
  fileNameFor,
  launchChromium,
  saveScreenshot,
  startDemoServer,
  type RunningServer,
} from './helpers.js';

// The demo channel of these tests: 150 dealers, 36 months up to 2026-10, seed 7.
const dealerCount = 150;

let server: RunningServer | undefined;
let browser: Browser | undefined;
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
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  if (browser === undefined) throw new Error('Chromium did not start');
  context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async ({ task }) => {
  await saveScreenshot(page, fileNameFor(task.name));
  await context.close();
  // An uncaught error in the console is a failure even when the page looked right.
  expect(pageErrors).toEqual([]);
});

describe('Tierline web console', () => {
  it('opens in Chinese with every section in the navigation', async () => {
    await open('/');
    const nav = page.getByTestId('nav');
    for (const label of [
      '仪表盘',
      '经销商',
      '分级策略',
      '评估审批',
      '资源配置',
      '预警',
      '数据导入',
      '履历验证',
      '经销商门户',
      'API 文档',
    ]) {
      await expect(nav.getByText(label, { exact: true }).count()).resolves.toBe(1);
    }
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
    await expect(page.getByTestId('dashboard-later').innerText()).resolves.toContain('分级');
  });

  it('switches to English and keeps the choice after a reload', async () => {
    await open('/dealers');
    await page.getByTestId('dealer-total').filter({ hasText: '共' }).waitFor();
    await page.getByTestId('language-switch').getByText('English').click();

    const nav = page.getByTestId('nav');
    await nav.getByText('Dashboard', { exact: true }).waitFor();
    for (const label of ['Dealers', 'Policies', 'Assessments', 'Alerts', 'Ledger verification']) {
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
    const sample = await api<DealerPage>(running(), '/api/v1/dealers?limit=50&sort=name');
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
    const facets = await api<DealerFacets>(running(), '/api/v1/dealers/facets');
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
      running(),
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

  it('says plainly that a section is not built yet', async () => {
    await open('/');
    await page.getByTestId('nav-ledger').click();
    await page.waitForURL(/\/ledger$/);
    const section = page.getByTestId('section-ledger');
    await expect(section.getByTestId('section-not-built').innerText()).resolves.toBe(
      '「履历验证」模块尚未建成',
    );
    await expect(section.getByTestId('section-capability').innerText()).resolves.toContain(
      'Merkle',
    );
    // No figures on a page without data: nothing there may be taken for a real number.
    await expect(section.locator('.ant-statistic, .ant-table, canvas').count()).resolves.toBe(0);
  });
});
