import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import {
  findTenantForNotice,
  insertDeliveries,
  listDealerRegionCodes,
  listEnabledChannels,
  type NewDelivery,
} from './notification.repository.js';
import { channelMatches, noticePayload } from './notice.js';

/**
 * What the alerts engine tells the notifications: an alert was opened, rose in severity
 * (escalated), or cleared (resolved). `dealer.region` is the dealer's region code; a channel's
 * region filter is matched against the dealer's region and its ancestors, read from the
 * database, so it holds whichever the region is given as.
 */
export interface AlertNotice {
  event: 'opened' | 'escalated' | 'resolved';
  alert: {
    id: number;
    rule: string;
    ruleName: string;
    severity: 'info' | 'warning' | 'critical';
    status: 'open' | 'acknowledged' | 'resolved' | 'dismissed';
    dealer: { id: number; code: string; name: string; region: string | null };
    owner: string | null;
    title: string;
    summary: string;
    openedAt: string;
  };
}

/**
 * Inside the caller's transaction (an outbox): one delivery row per matching channel.
 *
 * A channel matches a notice when it is enabled, lists the notice's event, the alert's severity
 * is at least the channel's least severity, and (when the channel names regions) the dealer's
 * region or one of its ancestors is among them. Nothing is sent here: the delivery worker
 * (`deliverDueNotifications`) sends the rows after the caller's transaction commits, so a
 * rolled-back evaluation sends nothing. Returns the number of delivery rows written.
 */
export async function enqueueAlertNotices(
  db: Kysely<Database>,
  tenantId: number,
  notices: readonly AlertNotice[],
  options: { now?: Date } = {},
): Promise<number> {
  if (notices.length === 0) return 0;
  const channels = await listEnabledChannels(db, tenantId);
  if (channels.length === 0) return 0;
  const tenant = await findTenantForNotice(db, tenantId);
  if (!tenant) return 0;
  const needsRegions = channels.some((c) => c.regionCodes !== null);
  const regions = needsRegions
    ? await listDealerRegionCodes(
        db,
        tenantId,
        notices.map((n) => n.alert.dealer.id),
      )
    : new Map<number, readonly string[]>();
  const now = options.now ?? new Date();
  const rows: NewDelivery[] = [];
  for (const notice of notices) {
    const regionCodes = regions.get(notice.alert.dealer.id) ?? [];
    for (const channel of channels) {
      if (!channelMatches(channel, notice, regionCodes)) continue;
      rows.push({
        channelId: channel.id,
        event: notice.event,
        alertId: notice.alert.id,
        payload: noticePayload(notice, tenant, publicUrl()),
        nextAttemptAt: now,
      });
    }
  }
  if (rows.length === 0) return 0;
  return (await insertDeliveries(db, tenantId, rows)).length;
}

/** The console's address for links in messages (TIERLINE_PUBLIC_URL), without a trailing slash. */
export function publicUrl(): string | null {
  const url = process.env['TIERLINE_PUBLIC_URL']?.trim();
  return url ? url.replace(/\/+$/, '') : null;
}
