import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  chromium,
  request as apiRequest,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from 'playwright-core';

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const cli = join(repoRoot, 'packages/cli/dist/main.js');
export const screenshotDir = join(repoRoot, 'test-results/e2e');
const chromiumPath = '/usr/bin/chromium';

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Loads a small demo channel into a fresh data directory with the built CLI, then serves it
 * on a free port. Needs `npm run build` first (the CLI and the web console).
 */
export async function startDemoServer(): Promise<RunningServer> {
  if (!existsSync(cli)) {
    throw new Error(`${cli} does not exist: run \`npm run build\` before the e2e tests.`);
  }
  if (!existsSync(join(repoRoot, 'packages/web/dist/index.html'))) {
    throw new Error('The web console is not built: run `npm run build` before the e2e tests.');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'tierline-e2e-'));
  const demoArgs = ['--dealers', '150', '--months', '36', '--seed', '7', '--end-month', '2026-10'];
  await run(process.execPath, [cli, 'demo', ...demoArgs, '--data-dir', dataDir], {
    cwd: repoRoot,
    timeout: 150_000,
  });

  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let url: string;
  try {
    url = await waitForUrl(child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`tierline serve printed no URL within 60 s.\n${stdout}\n${stderr}`));
    }, 60_000);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Tierline is serving on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tierline serve exited with code ${code}.\n${stdout}\n${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Debian's Chromium, headless, without the background services a test does not need. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A browser context signed in as someone, its page, and the errors the page throws. */
export interface OpenedContext {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
}

/**
 * A new context on the server as a zh-CN user in Shanghai, signed in with `state`, with one
 * page whose uncaught errors are collected (a test checks there were none).
 */
export async function openContext(
  browser: Browser | undefined,
  baseURL: string,
  state: Awaited<ReturnType<typeof signedInState>> | undefined,
): Promise<OpenedContext> {
  if (browser === undefined || state === undefined) throw new Error('Chromium did not start');
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    storageState: state,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/**
 * Screenshot of the whole page kept as a test artefact in test-results/e2e/<name>.png. The
 * viewport grows to the page's height for it, so that the sticky header and table header sit
 * where a reader expects them (Playwright's fullPage mode paints them mid-page).
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const tall = Math.min(Math.max(height, viewport.height), 8000);
  if (tall > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: tall });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  await page.screenshot({ path, animations: 'disabled' });
  if (tall > viewport.height) await page.setViewportSize(viewport);
  return path;
}

/** Kebab-case file name for a test title: "opens a dealer" → "opens-a-dealer". */
export function fileNameFor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/** The demo tenant's users (`tierline demo` creates them), all with the same password. */
export const demoPassword = 'tierline-demo';
export type DemoLogin = 'admin' | 'manager' | 'analyst' | 'dealer';

/**
 * A session of a demo user, as Playwright storage state (the HttpOnly session cookie): sign in
 * once and open any number of browser contexts with it. The API limits sign-ins per address,
 * so the tests do not sign in again for every test.
 */
export async function signedInState(
  server: RunningServer,
  login: DemoLogin,
): Promise<Awaited<ReturnType<APIRequestContext['storageState']>>> {
  const request = await apiRequest.newContext({ baseURL: server.url });
  try {
    const response = await request.post('/api/v1/session', {
      data: { login, password: demoPassword },
    });
    if (!response.ok()) {
      throw new Error(`sign-in as ${login}: ${response.status()} ${await response.text()}`);
    }
    return await request.storageState();
  } finally {
    await request.dispose();
  }
}

/** GET a JSON resource of the running server with a signed-in request context. */
export async function api<T>(request: APIRequestContext, path: string): Promise<T> {
  const response = await request.get(path);
  if (!response.ok()) {
    throw new Error(`GET ${path}: ${response.status()} ${await response.text()}`);
  }
  return (await response.json()) as T;
}
