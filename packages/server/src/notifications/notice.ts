import type { NotificationPayload, NotificationSeverity } from '@tierline/contract';
import type { AlertNotice } from './notification.service.js';
import type { ChannelFilter, NoticeTenant } from './notification.repository.js';

const RANK: Record<NotificationSeverity, number> = { info: 0, warning: 1, critical: 2 };

/** Whether the severity is at least the least severity a channel takes. */
export function atLeast(severity: NotificationSeverity, least: NotificationSeverity): boolean {
  return RANK[severity] >= RANK[least];
}

/**
 * Whether a channel takes a notice: its event is listed, the alert is severe enough, and, when
 * the channel names regions, one of `dealerRegionCodes` (the dealer's region and its ancestors)
 * is among them.
 */
export function channelMatches(
  channel: ChannelFilter,
  notice: AlertNotice,
  dealerRegionCodes: readonly string[],
): boolean {
  if (!channel.events.includes(notice.event)) return false;
  if (!atLeast(notice.alert.severity, channel.minSeverity)) return false;
  if (channel.regionCodes === null) return true;
  const wanted = new Set(channel.regionCodes);
  const codes = dealerRegionCodes.length
    ? dealerRegionCodes
    : notice.alert.dealer.region === null
      ? []
      : [notice.alert.dealer.region];
  return codes.some((code) => wanted.has(code));
}

/** What a delivery of a notice sends (no secret in it). */
export function noticePayload(
  notice: AlertNotice,
  tenant: NoticeTenant,
  publicUrl: string | null,
): NotificationPayload {
  return {
    event: notice.event,
    alert: {
      id: notice.alert.id,
      rule: notice.alert.rule,
      ruleName: notice.alert.ruleName,
      severity: notice.alert.severity,
      status: notice.alert.status,
      dealer: {
        id: notice.alert.dealer.id,
        code: notice.alert.dealer.code,
        name: notice.alert.dealer.name,
        region: notice.alert.dealer.region,
      },
      owner: notice.alert.owner,
      title: notice.alert.title,
      summary: notice.alert.summary,
      openedAt: notice.alert.openedAt,
    },
    tenant: {
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      locale: tenant.locale,
      timeZone: tenant.timeZone,
    },
    link: publicUrl === null ? null : `${publicUrl}/alerts/${notice.alert.id}`,
  };
}
