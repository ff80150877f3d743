import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  getJson,
  sendFile,
  sendJson,
  sendJsonForFile,
  sessionPath,
  setCsrfToken,
  setUnauthenticatedHandler,
} from './client';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Answers every request with `status` and `body`, and records what was sent. */
function serve(status: number, body?: unknown): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    sent.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: (init.body as string | null) ?? null,
    });
    const text = body === undefined ? null : JSON.stringify(body);
    return Promise.resolve(new Response(text, { status }));
  });
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthenticatedHandler(undefined);
});

describe('writes carry the CSRF token of the session', () => {
  it('sends X-CSRF-Token and a JSON body on POST, PATCH and DELETE', async () => {
    const sent = serve(200, { id: 1 });
    setCsrfToken('csrf-123');
    await sendJson('POST', '/api/v1/tokens', { name: 'SAP', scope: 'ingest' });
    await sendJson('PATCH', '/api/v1/users/7', { status: 'disabled' });
    await sendJson('DELETE', '/api/v1/tokens/1');
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH', 'DELETE']);
    for (const request of sent) expect(request.headers['x-csrf-token']).toBe('csrf-123');
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ name: 'SAP', scope: 'ingest' });
    expect(sent[2]?.body).toBeNull();
  });

  it('sends no token with sign-in, nor with reads', async () => {
    const sent = serve(200, {});
    setCsrfToken('csrf-123');
    await sendJson('POST', sessionPath, { login: 'admin', password: 'x' }, { csrf: false });
    await getJson('/api/v1/dealers', { q: '华南', limit: 20, region: undefined });
    expect(sent[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[1]?.headers['x-csrf-token']).toBeUndefined();
    expect(sent[1]?.url).toBe('/api/v1/dealers?q=%E5%8D%8E%E5%8D%97&limit=20');
  });

  it('sends a file as the raw body with its content type, and receives a file', async () => {
    const sent = serve(200, { ok: true });
    setCsrfToken('csrf-123');
    const file = new Blob(['a,b\n1,2\n']);
    await expect(
      sendFile('/api/v1/imports/payments', file, 'text/csv', {
        fileName: '回款.csv',
        dryRun: 'true',
      }),
    ).resolves.toEqual({ ok: true });
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/imports/payments?fileName=%E5%9B%9E%E6%AC%BE.csv&dryRun=true',
    });
    expect(sent[0]?.headers).toMatchObject({
      'content-type': 'text/csv',
      'x-csrf-token': 'csrf-123',
    });
    expect(sent[0]?.body).toBe(file);
    const blob = await sendJsonForFile('/api/v1/imports/report', { issues: [] }, { format: 'csv' });
    expect(await blob.text()).toBe('{"ok":true}');
    expect(sent[1]?.headers['x-csrf-token']).toBe('csrf-123');
  });

  it('resolves a 204 with nothing', async () => {
    serve(204);
    await expect(sendJson('DELETE', sessionPath)).resolves.toBeUndefined();
  });
});

describe('errors', () => {
  it("rejects with the API's code and message", async () => {
    serve(429, { error: { code: 'rate_limited', message: 'Locked until 10:15.' } });
    const error: unknown = await sendJson('POST', sessionPath, {}, { csrf: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Locked until 10:15.',
    });
  });

  it('names a code from the status when the body is not an API error', async () => {
    serve(403);
    await expect(getJson('/api/v1/dealers')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reports a 401 outside the session endpoint as the end of the session', async () => {
    const ended = vi.fn();
    setUnauthenticatedHandler(ended);
    serve(401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    await expect(getJson('/api/v1/dealers')).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('does not treat "not signed in" or a wrong password as a session that ended', async () => {
    const ended = vi.fn();
    setUnauthenticatedHandler(ended);
    serve(401, { error: { code: 'unauthenticated', message: 'Wrong login or password.' } });
    await expect(getJson(sessionPath)).rejects.toMatchObject({ status: 401 });
    await expect(
      sendJson('POST', sessionPath, { login: 'a', password: 'b' }, { csrf: false }),
    ).rejects.toMatchObject({ status: 401 });
    expect(ended).not.toHaveBeenCalled();
  });
});
