import { sql, type Kysely } from 'kysely';
import {
  NotificationConfigOf,
  NotificationPayload,
  type NotificationDeliveryRun,
} from '@tierline/contract';
import type { Database } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { prepare, type ChannelSpec } from './formats.js';
import { postJson } from './http-post.js';
import { cutBytes } from './message.js';
import { sendMail } from './smtp.js';
import { mapUrl, unseal } from './sealed.js';

/**
 * The delivery worker: sends the outbox rows that are due, outside any request transaction, on
 * the server's own connection (it sees every tenant; each row carries its tenant and every
 * statement filters by it).
 *
 * Claiming is one statement: due rows are locked with FOR UPDATE SKIP LOCKED (so that workers
 * on several servers never take the same row), their attempt is counted and their next attempt
 * pushed a lease ahead (so that a worker that dies mid-send leaves them due again later). Then
 * each is sent (at most `concurrency` at a time, each within `timeoutMs`) and its outcome
 * recorded, but only if the row is still at the attempt this worker claimed. A failure is
 * retried after `baseDelayMs × 2^(attempt−1)`, ±25 % jitter; after `maxAttempts` the row is dead.
 */
export interface DeliveryOptions {
  now?: Date;
  /** How many due rows one run takes (default 50). */
  limit?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  concurrency?: number;
  /** A number in [0, 1) for the jitter (tests pass a constant). */
  random?: () => number;
}

export const DELIVERY_DEFAULTS = {
  limit: 50,
  maxAttempts: 8,
  baseDelayMs: 30_000,
  timeoutMs: 10_000,
  concurrency: 4,
  /** A claimed row is due again after this if its worker never records an outcome. */
  leaseMs: 5 * 60_000,
} as const;

interface Claimed {
  tenant_id: number;
  id: number;
  channel_id: number;
  attempts: number;
  payload: unknown;
}

interface ChannelForSend {
  tenant_id: number;
  kind: ChannelSpec['kind'];
  config: unknown;
  secret: string | null;
  enabled: boolean;
}

interface Outcome {
  ok: boolean;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
}

/**
 * Robots' documented rate limits: DingTalk and WeCom group robots take 20 messages a minute
 * (DingTalk then mutes a robot for 10 minutes), Feishu 100 a minute. Sends over the limit are
 * deferred to when the window frees, without counting as an attempt.
 */
export const ROBOT_RATE_LIMITS: Readonly<
  Partial<Record<ChannelSpec['kind'], { max: number; perMs: number }>>
> = {
  dingtalk: { max: 20, perMs: 60_000 },
  wecom: { max: 20, perMs: 60_000 },
  feishu: { max: 100, perMs: 60_000 },
};

/**
 * Send times per channel within its window, in this process (the server's delivery timer is
 * the one sender in a normal installation; a CLI `deliver` at the same moment has its own).
 */
const recentSends = new Map<string, number[]>();

/**
 * Reserve a send on a rate-limited channel at `now`: 0 when it may go, else the milliseconds
 * until the oldest send of the window leaves it.
 */
function reserveSend(key: string, limit: { max: number; perMs: number }, now: number): number {
  const times = (recentSends.get(key) ?? []).filter((t) => t > now - limit.perMs);
  if (times.length >= limit.max) {
    recentSends.set(key, times);
    return (times[0] as number) + limit.perMs - now;
  }
  times.push(now);
  recentSends.set(key, times);
  return 0;
}

/** Give a claimed delivery back, untried, to be sent at `at`. */
async function release(db: Kysely<Database>, delivery: Claimed, at: Date): Promise<void> {
  await db
    .updateTable('notification_delivery')
    .set({ attempts: delivery.attempts - 1, next_attempt_at: at })
    .where('tenant_id', '=', delivery.tenant_id)
    .where('id', '=', delivery.id)
    .where('attempts', '=', delivery.attempts)
    .execute();
}

/** The delay before attempt `attempts + 1`, after `attempts` failed ones. */
export function backoffMs(attempts: number, baseDelayMs: number, random: number): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.round(baseDelayMs * 2 ** exponent * (0.75 + 0.5 * random));
}

async function claim(
  db: Kysely<Database>,
  now: Date,
  where: { tenantId: number; id: number } | { limit: number },
): Promise<Claimed[]> {
  const leaseUntil = new Date(now.getTime() + DELIVERY_DEFAULTS.leaseMs);
  const due =
    'limit' in where
      ? sql`
          select tenant_id, id from notification_delivery
          where status in ('pending', 'failed') and next_attempt_at <= ${now}
          order by next_attempt_at, id
          limit ${where.limit}
          for update skip locked`
      : sql`
          select tenant_id, id from notification_delivery
          where tenant_id = ${where.tenantId} and id = ${where.id}
            and status in ('pending', 'failed')
          for update skip locked`;
  const { rows } = await sql<Claimed>`
    with due as (${due})
    update notification_delivery d
    set attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}
    from due
    where d.tenant_id = due.tenant_id and d.id = due.id
    returning d.tenant_id, d.id, d.channel_id, d.attempts, d.payload`.execute(db);
  return rows;
}

async function channelsOf(
  db: Kysely<Database>,
  claimed: readonly Claimed[],
): Promise<Map<string, ChannelForSend>> {
  const map = new Map<string, ChannelForSend>();
  if (claimed.length === 0) return map;
  const rows = await db
    .selectFrom('notification_channel')
    .select(['tenant_id', 'id', 'kind', 'config', 'secret', 'enabled'])
    .where((eb) =>
      eb.or(
        claimed.map((c) =>
          eb.and([eb('tenant_id', '=', c.tenant_id), eb('id', '=', c.channel_id)]),
        ),
      ),
    )
    .execute();
  for (const row of rows) map.set(`${row.tenant_id}:${row.id}`, row);
  return map;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return cutBytes(text || 'unknown error', 1000);
}

/** Send one delivery over its channel and say how it went. */
async function send(
  channel: ChannelForSend,
  delivery: Claimed,
  now: Date,
  timeoutMs: number,
): Promise<Outcome> {
  const payload = NotificationPayload.safeParse(delivery.payload);
  if (!payload.success) {
    return { ok: false, responseStatus: null, responseBody: null, error: 'unreadable payload' };
  }
  // Credentials are stored sealed (sealed.ts); a key mismatch fails the attempt with its reason.
  let opened: { config: unknown; secret: string | null };
  try {
    opened = {
      config:
        typeof channel.config === 'object' && channel.config !== null
          ? mapUrl(channel.config as Record<string, unknown>, (u) =>
              unseal(u, channel.tenant_id, 'url'),
            )
          : channel.config,
      secret: channel.secret === null ? null : unseal(channel.secret, channel.tenant_id, 'secret'),
    };
  } catch (error) {
    return { ok: false, responseStatus: null, responseBody: null, error: errorText(error) };
  }
  const config = NotificationConfigOf[channel.kind].safeParse(opened.config);
  if (!config.success) {
    return { ok: false, responseStatus: null, responseBody: null, error: 'invalid channel config' };
  }
  const spec = { kind: channel.kind, config: config.data, secret: opened.secret } as ChannelSpec;
  const request = prepare(spec, payload.data, { deliveryId: delivery.id, now });
  try {
    if (request.transport === 'smtp') {
      const answer = await sendMail(
        spec.config as Parameters<typeof sendMail>[0],
        opened.secret,
        request,
        { timeoutMs },
      );
      return {
        ok: true,
        responseStatus: answer.code,
        responseBody: cutBytes(answer.response, 1024),
        error: null,
      };
    }
    const answer = await postJson(request.url, request.body, request.headers, { timeoutMs });
    const problem = request.check(answer.status, answer.body);
    return {
      ok: problem === null,
      responseStatus: answer.status,
      responseBody: cutBytes(answer.body, 1024),
      error: problem,
    };
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    return {
      ok: false,
      responseStatus: typeof code === 'number' ? code : null,
      responseBody: null,
      error: errorText(error),
    };
  }
}

async function record(
  db: Kysely<Database>,
  delivery: Claimed,
  outcome: Outcome,
  status: 'delivered' | 'failed' | 'dead',
  nextAttemptAt: Date | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('notification_delivery')
    .set({
      status,
      next_attempt_at: nextAttemptAt,
      last_error: outcome.error,
      response_status: outcome.responseStatus,
      response_body: outcome.responseBody,
      ...(status === 'delivered' && { delivered_at: now }),
    })
    .where('tenant_id', '=', delivery.tenant_id)
    .where('id', '=', delivery.id)
    .where('attempts', '=', delivery.attempts)
    .execute();
}

/** How the statements of a run reach the database: directly (the worker) or as one tenant. */
type Runner = <T>(tenantId: number, fn: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

async function sendClaimed(
  run: Runner,
  claimed: readonly Claimed[],
  options: Required<Omit<DeliveryOptions, 'limit'>>,
  skipDisabled: boolean,
): Promise<NotificationDeliveryRun> {
  const counts: NotificationDeliveryRun = {
    attempted: 0,
    delivered: 0,
    failed: 0,
    dead: 0,
    deferred: 0,
  };
  const tenantId = claimed[0]?.tenant_id;
  if (tenantId === undefined) return counts;
  const channels = await run(tenantId, (db) => channelsOf(db, claimed));
  const queue = [...claimed];
  const save = (
    delivery: Claimed,
    outcome: Outcome,
    status: 'delivered' | 'failed' | 'dead',
    next: Date | null,
  ) => run(delivery.tenant_id, (db) => record(db, delivery, outcome, status, next, options.now));
  const worker = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      const key = `${delivery.tenant_id}:${delivery.channel_id}`;
      const channel = channels.get(key);
      const limit = channel ? ROBOT_RATE_LIMITS[channel.kind] : undefined;
      if (limit) {
        const now = options.now.getTime();
        const wait = reserveSend(key, limit, now);
        if (wait > 0) {
          await run(delivery.tenant_id, (db) => release(db, delivery, new Date(now + wait)));
          counts.deferred++;
          continue;
        }
      }
      counts.attempted++;
      let outcome: Outcome;
      if (!channel || (skipDisabled && !channel.enabled)) {
        outcome = {
          ok: false,
          responseStatus: null,
          responseBody: null,
          error: channel ? 'the channel is disabled' : 'the channel no longer exists',
        };
        await save(delivery, outcome, 'dead', null);
        counts.dead++;
        continue;
      }
      outcome = await send(channel, delivery, options.now, options.timeoutMs);
      if (outcome.ok) {
        await save(delivery, outcome, 'delivered', null);
        counts.delivered++;
      } else if (delivery.attempts >= options.maxAttempts) {
        await save(delivery, outcome, 'dead', null);
        counts.dead++;
      } else {
        const delay = backoffMs(delivery.attempts, options.baseDelayMs, options.random());
        await save(delivery, outcome, 'failed', new Date(options.now.getTime() + delay));
        counts.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return counts;
}

function withDefaults(options: DeliveryOptions): Required<Omit<DeliveryOptions, 'limit'>> {
  return {
    now: options.now ?? new Date(),
    maxAttempts: options.maxAttempts ?? DELIVERY_DEFAULTS.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? DELIVERY_DEFAULTS.baseDelayMs,
    timeoutMs: options.timeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
    concurrency: options.concurrency ?? DELIVERY_DEFAULTS.concurrency,
    random: options.random ?? Math.random,
  };
}

/**
 * Send every due delivery of every tenant (up to `limit`) and record the outcomes. Run by
 * `serve` on a timer (TIERLINE_NOTIFY_SECONDS) and by `tierline notifications deliver`. Rows of
 * disabled channels are marked dead; rows of deleted channels went with them.
 */
export async function deliverDueNotifications(
  db: Kysely<Database>,
  options: DeliveryOptions = {},
): Promise<NotificationDeliveryRun> {
  const resolved = withDefaults(options);
  const claimed = await claim(db, resolved.now, {
    limit: options.limit ?? DELIVERY_DEFAULTS.limit,
  });
  return sendClaimed((_tenantId, fn) => fn(db), claimed, resolved, true);
}

/**
 * Send one delivery now, whatever its next attempt time (a test message, a retry asked for by
 * an admin), even on a disabled channel. Does nothing when the row is delivered, dead, or being
 * sent by a worker at this moment. For a request: each statement runs in its own short
 * transaction as the tenant (`withTenant`), none is open while the message travels.
 */
export async function deliverNow(
  db: Kysely<Database>,
  tenantId: number,
  deliveryId: number,
  options: DeliveryOptions = {},
): Promise<NotificationDeliveryRun> {
  const resolved = withDefaults(options);
  const asTenant: Runner = (_tenantId, fn) => withTenant(db, tenantId, fn);
  const claimed = await asTenant(tenantId, (trx) =>
    claim(trx, resolved.now, { tenantId, id: deliveryId }),
  );
  return sendClaimed(asTenant, claimed, resolved, false);
}
