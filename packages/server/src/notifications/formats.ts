import { createHmac } from 'node:crypto';
import type {
  DingTalkConfig,
  EmailConfig,
  FeishuConfig,
  NotificationPayload,
  WebhookConfig,
  WeComConfig,
} from '@tierline/contract';
import { html, markdown, messageParts, plainText } from './message.js';

/**
 * The wire formats of each channel kind (docs/notifications.md cites the vendors' documents):
 *
 * - webhook: JSON `{event, alert, tenant, link, sentAt, deliveryId}`, headers
 *   `X-Tierline-Event`, `X-Tierline-Delivery` and, with a secret,
 *   `X-Tierline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * - DingTalk custom robot: `{"msgtype":"markdown","markdown":{"title","text"}}`; with a secret,
 *   `&timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))>`
 *   on the URL; the answer's `errcode` is 0 when it worked.
 * - WeCom group robot: `{"msgtype":"markdown","markdown":{"content"}}` (≤ 4,096 bytes); the
 *   key in the URL is the credential; `errcode` 0.
 * - Feishu custom bot: `{"timestamp","sign","msg_type":"interactive","card"}` (or `"text"`,
 *   `"content":{"text"}`), sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, "")),
 *   timestamp in seconds; `code` 0 (older answers: `StatusCode` 0).
 * - e-mail: a subject (the title), a plain-text part and an HTML part.
 */

export type ChannelSpec =
  | { kind: 'webhook'; config: WebhookConfig; secret: string | null }
  | { kind: 'dingtalk'; config: DingTalkConfig; secret: string | null }
  | { kind: 'wecom'; config: WeComConfig; secret: string | null }
  | { kind: 'feishu'; config: FeishuConfig; secret: string | null }
  | { kind: 'email'; config: EmailConfig; secret: string | null };

export interface HttpRequestSpec {
  transport: 'http';
  url: URL;
  body: string;
  headers: Record<string, string>;
  /** null when the answer says the message was taken, else why not. */
  check(status: number, body: string): string | null;
}

export interface MailSpec {
  transport: 'smtp';
  subject: string;
  text: string;
  html: string;
}

export interface SendContext {
  deliveryId: number;
  now: Date;
}

/** Signature header value of a webhook body: `t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>`. */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** DingTalk's `sign`: base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)), not yet URL-encoded. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Feishu's `sign`: base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")). */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

function httpOk(status: number): string | null {
  return status >= 200 && status < 300 ? null : `answered HTTP ${status}`;
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The robots answer HTTP 200 with an error code in the body; 0 means sent. */
function robotCheck(codeFields: readonly string[], messageFields: readonly string[]) {
  return (status: number, body: string): string | null => {
    const json = parseJson(body);
    const field = codeFields.find((f) => json && f in json);
    if (!json || field === undefined) {
      return httpOk(status) ?? 'the answer has no error code (not the robot API?)';
    }
    const code = json[field];
    if (code === 0 && status >= 200 && status < 300) return null;
    const message = messageFields.map((f) => json[f]).find((m) => typeof m === 'string');
    return `${field} ${String(code)}${message ? `: ${message}` : ''} (HTTP ${status})`;
  };
}

const SEVERITY_TEMPLATE = { info: 'blue', warning: 'orange', critical: 'red' } as const;

/** What a channel sends for a payload: an HTTP request or an e-mail. */
export function prepare(
  channel: ChannelSpec,
  payload: NotificationPayload,
  context: SendContext,
): HttpRequestSpec | MailSpec {
  const parts = messageParts(payload);
  switch (channel.kind) {
    case 'webhook': {
      const body = JSON.stringify({
        event: payload.event,
        alert: payload.alert,
        tenant: payload.tenant,
        link: payload.link,
        sentAt: context.now.toISOString(),
        deliveryId: context.deliveryId,
      });
      const headers: Record<string, string> = {
        'x-tierline-event': payload.event,
        'x-tierline-delivery': String(context.deliveryId),
      };
      if (channel.secret) {
        const t = Math.floor(context.now.getTime() / 1000);
        headers['x-tierline-signature'] = webhookSignature(channel.secret, t, body);
      }
      return { transport: 'http', url: new URL(channel.config.url), body, headers, check: httpOk };
    }
    case 'dingtalk': {
      const url = new URL(channel.config.url);
      if (channel.secret) {
        const timestamp = context.now.getTime();
        url.searchParams.set('timestamp', String(timestamp));
        url.searchParams.set('sign', dingTalkSign(channel.secret, timestamp));
      }
      const body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { title: parts.title, text: markdown(parts, '\n\n', 18_000) },
      });
      return {
        transport: 'http',
        url,
        body,
        headers: {},
        check: robotCheck(['errcode'], ['errmsg']),
      };
    }
    case 'wecom': {
      const body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { content: markdown(parts, '\n', 4096) },
      });
      return {
        transport: 'http',
        url: new URL(channel.config.url),
        body,
        headers: {},
        check: robotCheck(['errcode'], ['errmsg']),
      };
    }
    case 'feishu': {
      const signed: Record<string, string> = {};
      if (channel.secret) {
        const timestamp = Math.floor(context.now.getTime() / 1000);
        signed['timestamp'] = String(timestamp);
        signed['sign'] = feishuSign(channel.secret, timestamp);
      }
      const message =
        channel.config.format === 'text'
          ? { msg_type: 'text', content: { text: plainText(parts) } }
          : {
              msg_type: 'interactive',
              card: {
                config: { wide_screen_mode: true },
                header: {
                  title: { tag: 'plain_text', content: parts.title },
                  template:
                    payload.event === 'resolved'
                      ? 'green'
                      : SEVERITY_TEMPLATE[payload.alert.severity],
                },
                elements: [
                  {
                    tag: 'div',
                    text: {
                      tag: 'lark_md',
                      content: markdown({ ...parts, link: null }, '\n', 8000, { title: false }),
                    },
                  },
                  ...(parts.link
                    ? [
                        {
                          tag: 'action',
                          actions: [
                            {
                              tag: 'button',
                              text: { tag: 'plain_text', content: parts.linkLabel },
                              type: 'primary',
                              url: parts.link,
                            },
                          ],
                        },
                      ]
                    : []),
                ],
              },
            };
      return {
        transport: 'http',
        url: new URL(channel.config.url),
        body: JSON.stringify({ ...signed, ...message }),
        headers: {},
        check: robotCheck(['code', 'StatusCode'], ['msg', 'StatusMessage']),
      };
    }
    case 'email':
      return { transport: 'smtp', subject: parts.title, text: plainText(parts), html: html(parts) };
  }
}
