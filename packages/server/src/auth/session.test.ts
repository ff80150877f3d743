import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AuditPage, ErrorBody, SessionInfo } from '@tierline/contract';
import { Writable } from 'node:stream';
import { buildApp } from '../app.js';
import { requestLogOptions } from '../server.js';
import { createTestStore, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  TEST_PASSWORD,
  type TestChannel,
} from '../test/factories.js';
import { CSRF_HEADER, SESSION_COOKIE } from './guard.js';
import { LOCKOUT } from './sign-in.service.js';

let store: TestStore;
let app: FastifyInstance;
let channel: TestChannel;
let adminHeaders: Record<string, string>;

beforeAll(async () => {
  store = await createTestStore();
  channel = await makeChannel(store.db);
  const admin = await makeUser(store.db, channel.tenantId, { role: 'admin', login: 'boss' });
  adminHeaders = await sessionHeaders(store.db, channel.tenantId, admin.id);
  app = await buildApp({
    db: store.db,
    engine: store.engine,
    defaultTenant: channel.slug,
    version: 'test',
    // Generous, so that lock-out tests are not cut short by the per-address limit; the limit
    // itself has its own app below.
    signInRateLimit: { max: 1000, windowMs: 60_000 },
  });
});
afterAll(async () => {
  await app.close();
  await store.destroy();
});

function signIn(login: string, password: string, tenant?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { login, password, ...(tenant === undefined ? {} : { tenant }) },
  });
}

/** Cookie + CSRF headers from a sign-in answer. */
function credentialsOf(response: LightMyRequestResponse): Record<string, string> {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  return {
    cookie: `${SESSION_COOKIE}=${cookie.value}`,
    [CSRF_HEADER]: response.json<SessionInfo>().csrfToken,
  };
}

async function auditActions(login: string): Promise<string[]> {
  const page = (
    await app.inject({ url: `/api/v1/audit?actor=${login}&limit=100`, headers: adminHeaders })
  ).json<AuditPage>();
  return page.items.map((e) => e.action).reverse();
}

describe('sign-in', () => {
  it('opens a session with an HttpOnly, SameSite cookie and tells who signed in', async () => {
    const user = await makeUser(store.db, channel.tenantId, {
      role: 'channel_manager',
      login: 'wang',
      regionIds: [channel.regions.gd],
    });
    const response = await signIn('Wang', TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(new RegExp(`^${channel.tenantId}\\.[A-Za-z0-9_-]{43}$`));
    const info = response.json<SessionInfo>();
    expect(info.user).toMatchObject({
      id: user.id,
      login: 'wang',
      role: 'channel_manager',
      regions: [{ code: '440000', name: '广东省' }],
      dealer: null,
    });
    expect(info.tenant.slug).toBe(channel.slug);
    expect(info.permissions).toEqual([
      'tenant:read',
      'dealers:read',
      'master:read',
      'policies:read',
      'assessments:read',
      'assessments:run',
      'assessments:override',
      'ledger:read',
      'resources:read',
      'mdf:request',
      'mdf:decide',
      'alerts:read',
      'alerts:manage',
    ]);

    const again = await app.inject({ url: '/api/v1/session', headers: credentialsOf(response) });
    expect(again.json<SessionInfo>().user.login).toBe('wang');
    expect(await auditActions('wang')).toContain('session.sign_in');
  });

  it('gives the same answer for a wrong password, an unknown login and an unknown tenant', async () => {
    await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'li' });
    const answers = await Promise.all([
      signIn('li', 'wrong password!'),
      signIn('nobody', TEST_PASSWORD),
      signIn('li', TEST_PASSWORD, 'no-such-tenant'),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json<ErrorBody>().error).toEqual({
        code: 'unauthenticated',
        message: 'The tenant, login or password is wrong.',
      });
      expect(answer.cookies).toHaveLength(0);
    }
    expect(await auditActions('li')).toEqual(['session.sign_in_failed']);
    expect(await auditActions('nobody')).toEqual(['session.sign_in_failed']);
  });

  it(`locks a user after ${LOCKOUT.attempts} wrong passwords, even for the right one, until an admin unlocks`, async () => {
    const user = await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'zhao' });
    for (let i = 0; i < LOCKOUT.attempts - 1; i++) {
      expect((await signIn('zhao', `wrong ${i} password`)).statusCode).toBe(401);
    }
    const locking = await signIn('zhao', 'wrong again password');
    expect(locking.statusCode).toBe(429);
    expect(locking.json<ErrorBody>().error.message).toMatch(/locked until/);
    const right = await signIn('zhao', TEST_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.cookies).toHaveLength(0);

    const unlock = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: adminHeaders,
      payload: { unlock: true },
    });
    expect(unlock.statusCode).toBe(200);
    expect((await signIn('zhao', TEST_PASSWORD)).statusCode).toBe(200);
    expect(await auditActions('zhao')).toEqual([
      ...Array<string>(LOCKOUT.attempts).fill('session.sign_in_failed'),
      'session.sign_in_failed',
      'session.sign_in',
    ]);
  });

  it('refuses a disabled user', async () => {
    const user = await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'sun' });
    const session = credentialsOf(await signIn('sun', TEST_PASSWORD));
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: adminHeaders,
      payload: { status: 'disabled' },
    });
    expect((await signIn('sun', TEST_PASSWORD)).statusCode).toBe(401);
    // Disabling ended the open session too.
    expect((await app.inject({ url: '/api/v1/tenant', headers: session })).statusCode).toBe(401);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = await buildApp({
      db: store.db,
      engine: store.engine,
      defaultTenant: channel.slug,
      version: 'test',
      signInRateLimit: { max: 3, windowMs: 60_000 },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await limited.inject({
          method: 'POST',
          url: '/api/v1/session',
          payload: { login: `guess${i}`, password: 'not a password' },
        });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          expect(response.json<ErrorBody>().error.code).toBe('rate_limited');
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('rejects a malformed request with the field that is wrong', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { login: 'x' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toMatch(/password/);
  });
});

describe('a session', () => {
  it('needs the CSRF token for changes, and sign-out ends it', async () => {
    await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'zhou' });
    const headers = credentialsOf(await signIn('zhou', TEST_PASSWORD));
    const withoutCsrf = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie: headers['cookie'] ?? '' },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json<ErrorBody>().error.message).toMatch(/x-csrf-token/);
    const wrongCsrf = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { ...headers, [CSRF_HEADER]: 'x'.repeat(43) },
    });
    expect(wrongCsrf.statusCode).toBe(403);

    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(401);
    expect(await auditActions('zhou')).toEqual(['session.sign_in', 'session.sign_out']);
  });

  it('changes its own password: the old one stops working, other sessions end', async () => {
    await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'wu' });
    const first = credentialsOf(await signIn('wu', TEST_PASSWORD));
    const second = credentialsOf(await signIn('wu', TEST_PASSWORD));
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: first,
      payload: { currentPassword: 'not it at all', newPassword: 'a brand new secret' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<ErrorBody>().error.message).toBe('The current password is wrong.');
    const short = await app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: first,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<ErrorBody>().error.message).toMatch(/at least 10 characters/);

    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: first,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new secret' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/session', headers: first })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/session', headers: second })).statusCode).toBe(401);
    expect((await signIn('wu', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await signIn('wu', 'a brand new secret')).statusCode).toBe(200);
  });

  it('is not accepted with a tampered cookie or for another tenant', async () => {
    const other = await makeChannel(store.db);
    const dealer = await makeDealer(store.db, other.tenantId, { region_id: other.regions.sd });
    const user = await makeUser(store.db, other.tenantId, { role: 'dealer', dealerId: dealer });
    const headers = await sessionHeaders(store.db, other.tenantId, user.id);
    const cookie = headers['cookie'] ?? '';
    // The same secret presented as tenant A's session does not exist there.
    const moved = cookie.replace(`=${other.tenantId}.`, `=${channel.tenantId}.`);
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: moved } })).statusCode,
    ).toBe(401);
    const tampered = cookie.slice(0, -2) + (cookie.endsWith('AA') ? 'BB' : 'AA');
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: tampered } })).statusCode,
    ).toBe(401);
    const mine = (await app.inject({ url: '/api/v1/session', headers })).json<SessionInfo>();
    expect(mine.tenant.slug).toBe(other.slug);
    expect(mine.permissions).toEqual(['tenant:read', 'portal:read', 'ledger:read', 'mdf:request']);
  });
});

describe('request logs', () => {
  it('never hold a password, a session cookie, a CSRF token or an API token', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logged = await buildApp({
      db: store.db,
      engine: store.engine,
      defaultTenant: channel.slug,
      version: 'test',
      logger: requestLogOptions(stream),
    });
    try {
      await makeUser(store.db, channel.tenantId, { role: 'analyst', login: 'logged' });
      const signedIn = await logged.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { login: 'logged', password: TEST_PASSWORD },
      });
      const headers = credentialsOf(signedIn);
      await logged.inject({ url: '/api/v1/dealers', headers });
      await logged.inject({
        url: '/api/v1/dealers',
        headers: { authorization: 'Bearer tl_1_secret' },
      });
      await logged.inject({ method: 'DELETE', url: '/api/v1/session', headers });
    } finally {
      await logged.close();
    }
    const text = lines.join('');
    expect(text).toContain('/api/v1/dealers');
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toMatch(/tierline_session=|tl_1_secret|x-csrf-token/i);
  });
});

describe('security headers', () => {
  it('forbid caching of API answers and framing of the console', async () => {
    const response = await app.inject({ url: '/api/v1/session', headers: adminHeaders });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
