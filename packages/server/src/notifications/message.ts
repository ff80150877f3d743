import type { NotificationPayload } from '@tierline/contract';

/**
 * The words of a notice, in the tenant's language: zh-CN, or English when the tenant's locale
 * is en-US. Each channel kind lays them out in its own format (formats.ts).
 */
export interface MessageParts {
  /** One line: severity, event and the alert's title. */
  title: string;
  /** Label and value rows: dealer, region, rule, severity, status, owner, opened. */
  fields: { label: string; value: string }[];
  summaryLabel: string;
  summary: string;
  linkLabel: string;
  link: string | null;
  footer: string;
  /** '：' in Chinese, ': ' in English. */
  colon: string;
}

const WORDS = {
  zh: {
    event: { opened: '新预警', escalated: '预警升级', resolved: '预警解除', test: '测试消息' },
    severity: { info: '提示', warning: '警告', critical: '严重' },
    status: { open: '待处理', acknowledged: '已确认', resolved: '已解除', dismissed: '已忽略' },
    dealer: '经销商',
    region: '区域',
    rule: '规则',
    severityLabel: '级别',
    statusLabel: '状态',
    owner: '负责人',
    opened: '发生时间',
    summary: '摘要',
    link: '在控制台查看',
    none: '无',
    footer: 'Tierline 经销商分级管理 · 预警通知',
    colon: '：',
    title: (severity: string, event: string, title: string) => `【${severity}】${event}：${title}`,
    dealerValue: (name: string, code: string) => `${name}（${code}）`,
  },
  en: {
    event: {
      opened: 'New alert',
      escalated: 'Alert escalated',
      resolved: 'Alert resolved',
      test: 'Test message',
    },
    severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
    status: {
      open: 'Open',
      acknowledged: 'Acknowledged',
      resolved: 'Resolved',
      dismissed: 'Dismissed',
    },
    dealer: 'Dealer',
    region: 'Region',
    rule: 'Rule',
    severityLabel: 'Severity',
    statusLabel: 'Status',
    owner: 'Owner',
    opened: 'Opened',
    summary: 'Summary',
    link: 'View in the console',
    none: 'none',
    footer: 'Tierline dealer tiering · alert notification',
    colon: ': ',
    title: (severity: string, event: string, title: string) => `[${severity}] ${event}: ${title}`,
    dealerValue: (name: string, code: string) => `${name} (${code})`,
  },
} as const;

/** One line of text: control characters and line breaks become spaces. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** A timestamp as 'YYYY-MM-DD HH:mm' in the tenant's time zone (the value itself if unparsable). */
export function localTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(date);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  } catch {
    return iso;
  }
}

export function messageParts(payload: NotificationPayload): MessageParts {
  const w = payload.tenant.locale.toLowerCase().startsWith('en') ? WORDS.en : WORDS.zh;
  const { alert } = payload;
  return {
    title: oneLine(w.title(w.severity[alert.severity], w.event[payload.event], alert.title)),
    fields: [
      { label: w.dealer, value: oneLine(w.dealerValue(alert.dealer.name, alert.dealer.code)) },
      { label: w.region, value: oneLine(alert.dealer.region ?? w.none) },
      { label: w.rule, value: oneLine(alert.ruleName) },
      { label: w.severityLabel, value: w.severity[alert.severity] },
      { label: w.statusLabel, value: w.status[alert.status] },
      { label: w.owner, value: oneLine(alert.owner ?? w.none) },
      { label: w.opened, value: localTime(alert.openedAt, payload.tenant.timeZone) },
    ],
    summaryLabel: w.summary,
    summary: alert.summary.trim(),
    linkLabel: w.link,
    link: payload.link,
    footer: w.footer,
    colon: w.colon,
  };
}

/** `text` cut to at most `maxBytes` UTF-8 bytes, on a character boundary, with an ellipsis. */
export function cutBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let used = 0;
  const room = maxBytes - 3; // '…' is 3 bytes
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > room) break;
    out += ch;
    used += size;
  }
  return `${out}…`;
}

/** Plain text: the title, the fields, the summary and the link. */
export function plainText(parts: MessageParts): string {
  const lines = [parts.title, '', ...parts.fields.map((f) => `${f.label}${parts.colon}${f.value}`)];
  if (parts.summary) lines.push('', `${parts.summaryLabel}${parts.colon.trim()}`, parts.summary);
  if (parts.link) lines.push('', `${parts.linkLabel}${parts.colon}${parts.link}`);
  lines.push('', '-- ', parts.footer);
  return lines.join('\n');
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** An HTML e-mail body; every value is escaped. */
export function html(parts: MessageParts): string {
  const rows = parts.fields
    .map(
      (f) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0;color:#555">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    )
    .join('');
  const summary = parts.summary
    ? `<h3 style="margin:16px 0 4px">${escapeHtml(parts.summaryLabel)}</h3><p style="white-space:pre-wrap;margin:0">${escapeHtml(parts.summary)}</p>`
    : '';
  const link = parts.link
    ? `<p style="margin:16px 0"><a href="${escapeHtml(parts.link)}">${escapeHtml(parts.linkLabel)}</a></p>`
    : '';
  return [
    '<!doctype html><html><body style="font-family:sans-serif;font-size:14px">',
    `<h2 style="margin:0 0 12px">${escapeHtml(parts.title)}</h2>`,
    `<table>${rows}</table>`,
    summary,
    link,
    `<p style="color:#888;font-size:12px">${escapeHtml(parts.footer)}</p>`,
    '</body></html>',
  ].join('');
}

/**
 * Markdown for the robots. `lineBreak` joins lines: DingTalk's markdown needs a blank line
 * between paragraphs, WeCom's and Feishu's take a single newline. The summary is cut so that
 * the whole text stays within `maxBytes` (WeCom: 4,096 bytes).
 */
export function markdown(
  parts: MessageParts,
  lineBreak: string,
  maxBytes: number,
  options: { title?: boolean } = {},
): string {
  const head = [
    ...(options.title === false ? [] : [`### ${parts.title}`]),
    ...parts.fields.map((f) => `**${f.label}**${parts.colon}${f.value}`),
  ];
  const link = parts.link ? [`[${parts.linkLabel}](${parts.link})`] : [];
  const without = [...head, ...link].join(lineBreak);
  const summaryRoom = maxBytes - Buffer.byteLength(without, 'utf8') - 64;
  const summary =
    parts.summary && summaryRoom > 0
      ? [
          cutBytes(parts.summary, summaryRoom)
            .split('\n')
            .map((line) => `> ${line}`)
            .join(lineBreak),
        ]
      : [];
  return cutBytes([...head, ...summary, ...link].join(lineBreak), maxBytes);
}
