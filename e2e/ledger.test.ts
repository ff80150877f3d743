import { readFile } from 'node:fs/promises';
import type { LedgerEntryPage, LedgerInfo, Resume, SessionInfo } from '@tierline/contract';
import { verifyResume } from '@tierline/core';
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

// The demo channel of the e2e tests (150 dealers, 36 months up to 2026-10, seed 7) publishes 12
// monthly runs, each logged as one assessment_run record and one tier_decision per dealer.
const publishedRuns = 12;

type SignedInState = Awaited<ReturnType<typeof signedInState>>;

let server: RunningServer | undefined;
let browser: Browser | undefined;
// One sign-in per user for the whole file: the API limits sign-ins per address.
let adminState: SignedInState | undefined;
let dealerState: SignedInState | undefined;
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

function tableRows(testId: string) {
  return page.locator(`[data-testid="${testId}"] tbody tr.ant-table-row`);
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
  await saveScreenshot(page, `ledger-${fileNameFor(task.name)}`);
  await context.close();
  expect(pageErrors).toEqual([]);
});

/** Runs "verify the log" on the verification page and waits for this run's verdict. */
async function verifyLogInPage(): Promise<{ ok: string | null; code: string | null }> {
  const shown = page.getByTestId('verify-log-result');
  const before = (await shown.count()) > 0 ? Number(await shown.getAttribute('data-run')) : 0;
  await page.getByTestId('verify-log-run').click();
  const result = page.locator(`[data-testid="verify-log-result"][data-run="${before + 1}"]`);
  await result.waitFor({ timeout: 60_000 });
  const problem = page.getByTestId('verify-log-problem');
  return {
    ok: await result.getAttribute('data-ok'),
    code: (await problem.count()) > 0 ? await problem.getAttribute('data-code') : null,
  };
}

/** The outcome of each step of the log verification on screen, in order. */
function stepStatuses(): Promise<(string | null)[]> {
  return page
    .locator('[data-testid^="verify-log-step-"]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
}

describe('the ledger in the console', () => {
  it('shows an admin the signed log and its records, and verifies one in the browser', async () => {
    await newContext(adminState);
    const info = await api<LedgerInfo>(context.request, '/api/v1/ledger');
    const all = await api<LedgerEntryPage>(context.request, '/api/v1/ledger/entries?limit=1');
    expect(info.checkpointSize).toBe(info.size);
    expect(all.total).toBe(info.size);

    await open('/');
    await page.getByTestId('nav-ledger').click();
    await page.waitForURL((url) => url.pathname === '/ledger');
    await expect(page.getByTestId('ledger-origin').innerText()).resolves.toBe(info.origin);
    await expect(page.getByTestId('ledger-vkey').innerText()).resolves.toContain(info.verifierKey);
    await expect(page.getByTestId('ledger-checkpoint').innerText()).resolves.toContain(
      `${info.origin}\n${info.size}\n`,
    );
    await page
      .getByTestId('ledger-total')
      .filter({ hasText: `共 ${info.size.toLocaleString('en-US')} 条` })
      .waitFor();
    await expect(tableRows('ledger-table').count()).resolves.toBe(50);
    // Newest first.
    await expect(tableRows('ledger-table').first().locator('td').first().innerText()).resolves.toBe(
      `#${info.size - 1}`,
    );

    // One assessment_run record per published run.
    await page.getByTestId('ledger-filter-kind').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '评估发布' }).click();
    await page
      .getByTestId('ledger-total')
      .filter({ hasText: `共 ${publishedRuns} 条` })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('kind')).toBe('assessment_run');

    // Open a run record and check it here: canonical JSON, commitment, signature, inclusion.
    await tableRows('ledger-table').first().click();
    await page.getByTestId('ledger-entry').waitFor();
    await expect(page.getByTestId('ledger-entry-record').innerText()).resolves.toContain(
      '"kind": "assessment_run"',
    );
    await page.getByTestId('ledger-entry-verify').click();
    await expect(page.getByTestId('ledger-entry-check').getAttribute('data-ok')).resolves.toBe(
      'true',
    );
    for (const step of ['canonical', 'commitment', 'checkpoint', 'inclusion']) {
      await expect(
        page.getByTestId(`ledger-entry-step-${step}`).getAttribute('data-status'),
      ).resolves.toBe('ok');
    }
    // Runs are not replayed; decisions are.
    await expect(page.getByTestId('ledger-entry-replay').count()).resolves.toBe(0);
    await saveScreenshot(page, 'ledger-run-record-verified');
  });

  it('replays a tier decision from its recorded inputs and policy', async () => {
    await newContext(adminState);
    const decisions = await api<LedgerEntryPage>(
      context.request,
      '/api/v1/ledger/entries?kind=tier_decision&limit=1',
    );
    const decision = decisions.items[0];
    if (decision === undefined) throw new Error('the demo logged no tier decision');

    // A link to a record opens it.
    await open(`/ledger?entry=${decision.index}`);
    await page.getByTestId('ledger-entry').waitFor();
    await page.getByTestId('ledger-entry-verify').click();
    await expect(page.getByTestId('ledger-entry-check').getAttribute('data-ok')).resolves.toBe(
      'true',
    );
    await page.getByTestId('ledger-entry-replay').click();
    const result = page.getByTestId('ledger-replay-result');
    await result.waitFor({ timeout: 30_000 });
    await expect(result.getAttribute('data-matches')).resolves.toBe('true');
    const checks = tableRows('ledger-replay-checks');
    expect(await checks.count()).toBeGreaterThan(5);
    for (const name of ['commitment', 'inputs digest', 'tier']) {
      await checks.locator(`[data-check="${name}"]`).waitFor();
    }
    await page.waitForTimeout(300);
  });

  it('verifies the whole log from its public tiles, and catches a tampered or rewritten log', async () => {
    await newContext(adminState);
    const info = await api<LedgerInfo>(context.request, '/api/v1/ledger');
    await open('/ledger');
    await page.getByTestId('ledger-to-verify').click();
    await page.waitForURL((url) => url.pathname === '/verify');
    await expect(page.getByTestId('verify-log-url').inputValue()).resolves.toBe(
      `${running().url}${info.tiles}`,
    );
    await expect(page.getByTestId('verify-log-key').inputValue()).resolves.toBe(info.verifierKey);
    await page.getByTestId('verify-log-seen').filter({ hasText: '尚未验证' }).waitFor();

    // First run: signature, tiles and every entry; nothing seen before to compare with.
    expect(await verifyLogInPage()).toEqual({ ok: 'true', code: null });
    for (const step of ['signature', 'tiles', 'entries']) {
      await expect(
        page.getByTestId(`verify-log-step-${step}`).getAttribute('data-status'),
      ).resolves.toBe('ok');
    }
    await page
      .getByTestId('verify-log-seen')
      .filter({ hasText: `${info.size.toLocaleString('en-US')} 条` })
      .waitFor();

    // Second run: also consistent with the checkpoint this browser kept.
    expect(await verifyLogInPage()).toEqual({ ok: 'true', code: null });
    await expect(
      page.getByTestId('verify-log-step-consistency').getAttribute('data-status'),
    ).resolves.toBe('ok');
    await saveScreenshot(page, 'ledger-log-verified');

    // An entry bundle changed on its way (one commitment byte flipped): the entry is caught.
    await page.route('**/tile/entries/000**', async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[2 + 5] = (body[2 + 5] ?? 0) ^ 1;
      await route.fulfill({ response, body });
    });
    expect(await verifyLogInPage()).toEqual({ ok: 'false', code: 'entry_mismatch' });
    await expect(stepStatuses()).resolves.toEqual(['ok', 'ok', 'ok', 'failed']);
    await page.unroute('**/tile/entries/000**');

    // A log that tells another history than the one seen before: reported as a fork.
    await page.evaluate(
      ({ origin, size }) => {
        const seen = {
          [origin]: {
            size,
            hash: 'TGKQz5BkctysTJrdse/BBNZkGgC1L2I0C+OhJ70nY2g=',
            verifiedAt: '2026-11-01T00:00:00Z',
          },
        };
        window.localStorage.setItem('tierline.ledger.seen', JSON.stringify(seen));
      },
      { origin: info.origin, size: info.size },
    );
    await page.reload();
    expect(await verifyLogInPage()).toEqual({ ok: 'false', code: 'forked' });
    // A log with fewer entries than seen before: rolled back.
    await page.evaluate(
      ({ origin, size }) => {
        const seen = JSON.parse(window.localStorage.getItem('tierline.ledger.seen') ?? '{}');
        seen[origin].size = size + 10;
        window.localStorage.setItem('tierline.ledger.seen', JSON.stringify(seen));
      },
      { origin: info.origin, size: info.size },
    );
    await page.reload();
    expect(await verifyLogInPage()).toEqual({ ok: 'false', code: 'rolled_back' });
    // Signature, consistency, tiles, entries: the log stops at the consistency check.
    await expect(stepStatuses()).resolves.toEqual(['ok', 'failed', 'skipped', 'skipped']);
  });

  it('verifies an uploaded résumé file, and refuses one edited by hand', async () => {
    await newContext(adminState);
    const dealers = await api<LedgerEntryPage>(
      context.request,
      '/api/v1/ledger/entries?kind=tier_decision&limit=1',
    );
    const dealer = dealers.items[0]?.dealer;
    if (dealer == null) throw new Error('the demo logged no decision with a dealer');
    const resume = await api<Resume>(context.request, `/api/v1/dealers/${dealer.id}/resume`);
    // Every record of the dealer: its decisions, and the demo's allocation lines and rebate
    // settlements.
    const records = await api<LedgerEntryPage>(
      context.request,
      `/api/v1/ledger/entries?dealerId=${dealer.id}&limit=500`,
    );
    expect(resume.entries.length).toBeGreaterThan(publishedRuns);
    expect(resume.entries).toHaveLength(records.items.length);

    await open('/verify');
    await page.getByTestId('verify-tabs').getByText('验证履历').click();
    const upload = page.locator('[data-testid="verify-resume"] input[type="file"]');
    const choose = (name: string, file: unknown) =>
      upload.setInputFiles({
        name,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(file, null, 2)),
      });

    await choose(`resume-${dealer.code}.json`, resume);
    await page.getByTestId('verify-resume-run').click();
    await expect(page.getByTestId('resume-result').getAttribute('data-ok')).resolves.toBe('true');
    // The first page of 12.
    await expect(tableRows('resume-entries').count()).resolves.toBe(
      Math.min(12, resume.entries.length),
    );
    await saveScreenshot(page, 'ledger-resume-verified');

    // The same file with one record's tier changed by hand: that record fails, and so the file.
    const edited = structuredClone(resume);
    const entry = edited.entries[0]!;
    const tier = /"tier":"([^"]+)"/.exec(entry.record)?.[1];
    if (tier === undefined) throw new Error(`no tier in ${entry.record}`);
    entry.record = entry.record.replace(`"tier":"${tier}"`, `"tier":"${tier}x"`);
    await choose('resume-edited.json', edited);
    await page.getByTestId('verify-resume-run').click();
    await expect(page.getByTestId('resume-result').getAttribute('data-ok')).resolves.toBe('false');
    await expect(page.getByTestId('resume-entries').innerText()).resolves.toContain(
      `not entry ${entry.index} of the log`,
    );
  });
});

describe('the dealer portal résumé', () => {
  it('lets a dealer user verify and download its résumé, and verify the log', async () => {
    await newContext(dealerState);
    const session = await api<SessionInfo>(context.request, '/api/v1/session');
    const own = session.user.dealer;
    if (own === null) throw new Error('the demo dealer user has no dealer');
    const info = await api<LedgerInfo>(context.request, '/api/v1/ledger');

    await open('/portal');
    await page.getByTestId('portal-resume').scrollIntoViewIfNeeded();
    await expect(tableRows('resume-table').count()).resolves.toBe(publishedRuns);
    // The portal alone in a dealer user's navigation; the ledger pages are reached from it.
    await expect(page.getByTestId('nav').locator('.ant-menu-item').count()).resolves.toBe(1);

    await page.getByTestId('resume-verify').click();
    await expect(page.getByTestId('resume-result').getAttribute('data-ok')).resolves.toBe('true');
    const checks = page.getByTestId('resume-row-check');
    await expect(checks.count()).resolves.toBe(publishedRuns);
    for (const status of await checks.evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-status')),
    )) {
      expect(status).toBe('ok');
    }

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('resume-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`resume-${own.code}.json`);
    const file = JSON.parse(await readFile(await download.path(), 'utf8')) as Resume;
    expect(file).toMatchObject({ format: 'tierline-resume/1', dealer: { code: own.code } });
    // The file verifies offline too, with the core the CLI uses.
    expect(verifyResume(file, info.verifierKey)).toMatchObject({ ok: true, problem: null });
    await page.waitForTimeout(300);
    await saveScreenshot(page, 'ledger-portal-resume');

    // The verification page is open to dealer users: the whole log checks out from here too.
    await page.getByTestId('resume-to-verify').click();
    await page.waitForURL((url) => url.pathname === '/verify');
    expect(await verifyLogInPage()).toEqual({ ok: 'true', code: null });
  });
});
