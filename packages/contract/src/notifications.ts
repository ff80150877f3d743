import { z } from 'zod';
import { Cursor, Id, Limit, pageOf } from './common.js';

/**
 * Notifications of alerts (docs/notifications.md): channels (an outgoing webhook signed with
 * HMAC-SHA256, DingTalk / WeCom / Feishu group robots, e-mail over SMTP) and the log of every
 * delivery. Secrets (HMAC or robot signing secret, SMTP password) are write-only: answers say
 * only whether one is set.
 */

export const NotificationEvent = z
  .enum(['opened', 'escalated', 'resolved'])
  .describe('opened: a new alert; escalated: its severity rose; resolved: its condition cleared');
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const NotificationSeverity = z.enum(['info', 'warning', 'critical']);
export type NotificationSeverity = z.infer<typeof NotificationSeverity>;

export const NotificationChannelKind = z
  .enum(['webhook', 'dingtalk', 'wecom', 'feishu', 'email'])
  .describe('webhook (signed JSON), DingTalk / WeCom / Feishu group robot, or e-mail over SMTP');
export type NotificationChannelKind = z.infer<typeof NotificationChannelKind>;

const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL')
  .describe('http:// or https:// URL');

const Email = z.email('must be an e-mail address').max(254);

export const WebhookConfig = z.strictObject({
  url: HttpUrl.describe('Where the signed JSON is POSTed'),
});
export const DingTalkConfig = z.strictObject({
  url: HttpUrl.describe(
    'The robot\'s webhook, e.g. https://oapi.dingtalk.com/robot/send?access_token=…; with a secret ("加签"), timestamp and sign are appended',
  ),
});
export const WeComConfig = z.strictObject({
  url: HttpUrl.describe(
    "The group robot's webhook, e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (the key is the credential; WeCom robots have no signing)",
  ),
});
export const FeishuConfig = z.strictObject({
  url: HttpUrl.describe(
    'The custom bot\'s webhook, e.g. https://open.feishu.cn/open-apis/bot/v2/hook/…; with a secret ("签名校验"), timestamp and sign go in the body',
  ),
  format: z
    .enum(['interactive', 'text'])
    .default('interactive')
    .describe('interactive: a message card (default); text: plain text'),
});
export const EmailConfig = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address')
    .describe('SMTP server'),
  port: z.number().int().min(1).max(65535).default(587),
  security: z
    .enum(['starttls', 'tls', 'none'])
    .default('starttls')
    .describe(
      'starttls: plain connection upgraded with STARTTLS, required (port 587); tls: TLS from the start (port 465); none: no TLS at all (only for a relay on a trusted network)',
    ),
  user: z
    .string()
    .max(254)
    .nullable()
    .default(null)
    .describe('SMTP user; the password is the secret'),
  from: Email.describe('Sender address'),
  to: z.array(Email).min(1).max(50).describe('Recipients'),
});
export type WebhookConfig = z.infer<typeof WebhookConfig>;
export type DingTalkConfig = z.infer<typeof DingTalkConfig>;
export type WeComConfig = z.infer<typeof WeComConfig>;
export type FeishuConfig = z.infer<typeof FeishuConfig>;
export type EmailConfig = z.infer<typeof EmailConfig>;

/** The config schema of each kind (the server validates a PATCH's config with it). */
export const NotificationConfigOf = {
  webhook: WebhookConfig,
  dingtalk: DingTalkConfig,
  wecom: WeComConfig,
  feishu: FeishuConfig,
  email: EmailConfig,
} as const satisfies Record<NotificationChannelKind, z.ZodType>;

const RegionCodes = z
  .array(z.string().trim().min(1).max(64))
  .max(500)
  .nullable()
  .describe("Only dealers in these regions (a region's sub-regions included); null: every region");

const Events = z
  .array(NotificationEvent)
  .min(1)
  .max(3)
  .refine((e) => new Set(e).size === e.length, 'must not repeat an event');

const Secret = z
  .string()
  .min(1)
  .max(500)
  .nullable()
  .describe(
    'HMAC secret (webhook), signing secret (DingTalk "SEC…", Feishu) or SMTP password. Write-only: never returned; null clears it',
  );

/** What create takes besides the kind and its config. */
const ChannelFields = {
  name: z.string().trim().min(1).max(100).describe('Unique within the tenant'),
  secret: Secret.optional(),
  minSeverity: NotificationSeverity.default('warning').describe(
    'Only alerts at least this severe (info < warning < critical)',
  ),
  events: Events.default(['opened', 'escalated', 'resolved']),
  regionCodes: RegionCodes.default(null),
  enabled: z.boolean().default(true),
};

export const NewNotificationChannel = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), config: WebhookConfig, ...ChannelFields }),
  z.strictObject({ kind: z.literal('dingtalk'), config: DingTalkConfig, ...ChannelFields }),
  z.strictObject({ kind: z.literal('wecom'), config: WeComConfig, ...ChannelFields }),
  z.strictObject({ kind: z.literal('feishu'), config: FeishuConfig, ...ChannelFields }),
  z.strictObject({ kind: z.literal('email'), config: EmailConfig, ...ChannelFields }),
]);
export type NewNotificationChannel = z.infer<typeof NewNotificationChannel>;

export const NotificationChannelPatch = z
  .strictObject({
    name: ChannelFields.name,
    config: z
      .record(z.string(), z.unknown())
      .describe("The channel's whole config, checked against its kind as on create"),
    secret: Secret,
    minSeverity: NotificationSeverity,
    events: Events,
    regionCodes: RegionCodes,
    enabled: z.boolean(),
  })
  .partial();
export type NotificationChannelPatch = z.infer<typeof NotificationChannelPatch>;

const ChannelOut = {
  id: z.number().int(),
  name: z.string(),
  hasSecret: z.boolean().describe('Whether a secret is set (the secret itself is never shown)'),
  minSeverity: NotificationSeverity,
  events: z.array(NotificationEvent),
  regionCodes: z.array(z.string()).nullable(),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const NotificationChannel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), config: WebhookConfig, ...ChannelOut }),
  z.object({ kind: z.literal('dingtalk'), config: DingTalkConfig, ...ChannelOut }),
  z.object({ kind: z.literal('wecom'), config: WeComConfig, ...ChannelOut }),
  z.object({ kind: z.literal('feishu'), config: FeishuConfig, ...ChannelOut }),
  z.object({ kind: z.literal('email'), config: EmailConfig, ...ChannelOut }),
]);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

export const NotificationChannelList = z.object({ items: z.array(NotificationChannel) });
export type NotificationChannelList = z.infer<typeof NotificationChannelList>;

/** The alert as a notice carries it (what the alerts engine hands over). */
export const NotifiedAlert = z.object({
  id: z.number().int(),
  rule: z.string(),
  ruleName: z.string(),
  severity: NotificationSeverity,
  status: z.enum(['open', 'acknowledged', 'resolved', 'dismissed']),
  dealer: z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    region: z.string().nullable(),
  }),
  owner: z.string().nullable(),
  title: z.string(),
  summary: z.string(),
  openedAt: z.string(),
});
export type NotifiedAlert = z.infer<typeof NotifiedAlert>;

/** What a delivery sends, without secrets: each kind renders its message from it. */
export const NotificationPayload = z.object({
  event: z.enum(['opened', 'escalated', 'resolved', 'test']),
  alert: NotifiedAlert,
  tenant: z.object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    locale: z.string().describe('zh-CN, or en-US for messages in English'),
    timeZone: z.string().describe('Times in messages are shown in it'),
  }),
  link: z
    .string()
    .nullable()
    .describe('The alert in the console (when TIERLINE_PUBLIC_URL is set)'),
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

export const NotificationDeliveryStatus = z
  .enum(['pending', 'delivered', 'failed', 'dead'])
  .describe(
    'pending: not tried yet; delivered; failed: the last attempt failed, retried at nextAttemptAt; dead: gave up after the last attempt',
  );
export type NotificationDeliveryStatus = z.infer<typeof NotificationDeliveryStatus>;

export const NotificationDelivery = z.object({
  id: z.number().int(),
  channel: z.object({
    id: z.number().int(),
    name: z.string(),
    kind: NotificationChannelKind,
  }),
  event: z.enum(['opened', 'escalated', 'resolved', 'test']),
  alertId: z.number().int().nullable().describe('null for a test message'),
  status: NotificationDeliveryStatus,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  responseStatus: z.number().int().nullable().describe('HTTP status, or the SMTP reply code'),
  responseBody: z.string().nullable().describe('The first 1 KB of the answer'),
  payload: NotificationPayload,
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type NotificationDelivery = z.infer<typeof NotificationDelivery>;

export const NotificationDeliveryQuery = z.object({
  status: NotificationDeliveryStatus.optional(),
  channelId: Id.optional(),
  alertId: Id.optional(),
  limit: Limit,
  cursor: Cursor,
});
export type NotificationDeliveryQuery = z.infer<typeof NotificationDeliveryQuery>;

export const NotificationDeliveryPage = pageOf(NotificationDelivery);
export type NotificationDeliveryPage = z.infer<typeof NotificationDeliveryPage>;

/** What one run of the delivery worker did. */
export const NotificationDeliveryRun = z.object({
  attempted: z.number().int(),
  delivered: z.number().int(),
  failed: z.number().int().describe('Failed this time, to be retried'),
  dead: z.number().int().describe('Failed for the last time'),
  deferred: z
    .number()
    .int()
    .describe('Held back by the robot’s rate limit, sent once the window frees (not an attempt)'),
});
export type NotificationDeliveryRun = z.infer<typeof NotificationDeliveryRun>;
