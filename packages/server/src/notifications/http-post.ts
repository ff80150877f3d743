import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import {
  guardedLookup,
  isPrivateAddress,
  PrivateAddressError,
  privateTargetsAllowed,
} from './address-guard.js';

export interface HttpAnswer {
  status: number;
  /** The answer's body as text, at most `MAX_BODY` bytes of it. */
  body: string;
}

/** How much of an answer is read (enough for any robot's JSON; the log keeps 1 KB). */
const MAX_BODY = 64 * 1024;
const MAX_REDIRECTS = 3;

/**
 * POST `body` to `url` and read the answer. The whole exchange (connect, send, answer) must end
 * within `timeoutMs`. Addresses are checked as they are resolved (`guardedLookup`). Redirects
 * are followed only when they keep the method and body (307, 308) and stay on the same origin
 * (scheme, host and port): a target must not bounce the message, or its signature, elsewhere.
 */
export async function postJson(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: { timeoutMs: number },
): Promise<HttpAnswer> {
  const deadline = Date.now() + options.timeoutMs;
  let target = url;
  for (let hop = 0; ; hop++) {
    const answer = await postOnce(target, body, headers, Math.max(1, deadline - Date.now()));
    if (answer.status < 300 || answer.status >= 400) return answer;
    const location = answer.location;
    if (!location) return answer;
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      throw new Error(`answered ${answer.status} with an invalid Location`);
    }
    if (next.origin !== target.origin) {
      throw new Error(
        `answered ${answer.status}, a redirect to another host (${next.origin}); not followed`,
      );
    }
    if (answer.status !== 307 && answer.status !== 308) {
      throw new Error(`answered ${answer.status}, a redirect that drops the body; not followed`);
    }
    if (hop >= MAX_REDIRECTS) throw new Error('too many redirects');
    target = next;
  }
}

function postOnce(
  url: URL,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<HttpAnswer & { location: string | undefined }> {
  // An address literal is connected to without a lookup: check it here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isPrivateAddress(host) && !privateTargetsAllowed()) {
    return Promise.reject(new PrivateAddressError(url.hostname, host));
  }
  const payload = Buffer.from(body, 'utf8');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: HttpAnswer & { location: string | undefined }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else if (value) resolve(value);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        lookup: guardedLookup,
        agent: false,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(payload.length),
          'user-agent': 'Tierline-Notifier/1',
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY) response.destroy();
        });
        const done = () =>
          finish(null, {
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'),
            location: response.headers.location,
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', (error) => finish(error));
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    request.on('error', (error) => finish(error));
    request.end(payload);
  });
}
