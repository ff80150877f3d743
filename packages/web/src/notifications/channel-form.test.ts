import type { NotificationChannel } from '@tierline/contract';
import { NewNotificationChannel, NotificationChannelPatch } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import {
  channelFormValues,
  channelPatch,
  channelTarget,
  fieldOfPath,
  newChannelBody,
  serverFieldErrors,
  type ChannelFormValues,
} from './channel-form';

const stamps = {
  createdBy: 'admin',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const dingtalk: NotificationChannel = {
  id: 3,
  kind: 'dingtalk',
  name: '华南大区钉钉群',
  config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=abcd…' },
  hasSecret: true,
  minSeverity: 'warning',
  events: ['opened', 'escalated'],
  regionCodes: ['440000', '450000'],
  enabled: true,
  ...stamps,
};

const email: NotificationChannel = {
  id: 4,
  kind: 'email',
  name: '渠道经理邮件',
  config: {
    host: 'smtp.exmail.qq.com',
    port: 465,
    security: 'tls',
    user: null,
    from: 'alerts@example.com',
    to: ['gd@example.com', 'gx@example.com'],
  },
  hasSecret: false,
  minSeverity: 'critical',
  events: ['opened', 'escalated', 'resolved'],
  regionCodes: null,
  enabled: false,
  ...stamps,
};

const form = (change: Partial<ChannelFormValues>): ChannelFormValues => ({
  ...channelFormValues(),
  ...change,
});

describe('channel form → new channel', () => {
  it('sends the chosen kind’s config only, and a body the contract accepts', () => {
    const body = newChannelBody(
      form({
        name: '  飞书群 ',
        kind: 'feishu',
        url: ' https://open.feishu.cn/open-apis/bot/v2/hook/abc ',
        format: 'text',
        host: 'left over from e-mail',
        secret: 's3cret',
      }),
    );
    expect(body).toEqual({
      kind: 'feishu',
      name: '飞书群',
      config: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', format: 'text' },
      secret: 's3cret',
      minSeverity: 'warning',
      events: ['opened', 'escalated', 'resolved'],
      regionCodes: null,
      enabled: true,
    });
    expect(NewNotificationChannel.safeParse(body).success).toBe(true);
  });

  it('sends no secret when none is typed, and never one for WeCom', () => {
    expect(newChannelBody(form({ kind: 'webhook', url: 'https://x.example' }))).not.toHaveProperty(
      'secret',
    );
    expect(
      newChannelBody(form({ kind: 'wecom', url: 'https://x.example', secret: 'typed before' })),
    ).not.toHaveProperty('secret');
  });

  it('sends e-mail recipients trimmed, an empty user as none, regions as chosen', () => {
    const body = newChannelBody(
      form({
        kind: 'email',
        name: 'mail',
        host: 'smtp.example.com',
        port: 587,
        user: ' ',
        from: 'a@example.com',
        to: [' b@example.com', ''],
        regionCodes: ['440000'],
      }),
    );
    expect(body.config).toEqual({
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls',
      user: null,
      from: 'a@example.com',
      to: ['b@example.com'],
    });
    expect(body.regionCodes).toEqual(['440000']);
    expect(NewNotificationChannel.safeParse(body).success).toBe(true);
  });
});

describe('channel → form → patch', () => {
  it('round-trips a channel unchanged into an empty patch (the masked URL is not resent)', () => {
    expect(channelPatch(channelFormValues(dingtalk), dingtalk)).toEqual({});
    expect(channelPatch(channelFormValues(email), email)).toEqual({});
  });

  it('sends only what changed, the config whole', () => {
    const values = channelFormValues(email);
    const patch = channelPatch(
      { ...values, to: [...values.to, 'hn@example.com'], enabled: true, regionCodes: ['430000'] },
      email,
    );
    expect(patch).toEqual({
      config: { ...email.config, to: ['gd@example.com', 'gx@example.com', 'hn@example.com'] },
      enabled: true,
      regionCodes: ['430000'],
    });
    expect(NotificationChannelPatch.safeParse(patch).success).toBe(true);
  });

  it('keeps, replaces or clears the secret', () => {
    const values = channelFormValues(dingtalk);
    expect(channelPatch({ ...values, secret: 'SECnew' }, dingtalk)).toEqual({ secret: 'SECnew' });
    expect(channelPatch({ ...values, clearSecret: true }, dingtalk)).toEqual({ secret: null });
    // Nothing to clear on a channel without a secret.
    expect(channelPatch({ ...channelFormValues(email), clearSecret: true }, email)).toEqual({});
  });

  it('treats the same events in another order as unchanged, and no regions as every region', () => {
    const values = channelFormValues(dingtalk);
    expect(channelPatch({ ...values, events: ['escalated', 'opened'] }, dingtalk)).toEqual({});
    expect(channelPatch({ ...values, regionCodes: [] }, dingtalk)).toEqual({ regionCodes: null });
  });

  it('shows where a channel sends', () => {
    expect(channelTarget(dingtalk)).toBe(dingtalk.config.url);
    expect(channelTarget(email)).toBe('gd@example.com, gx@example.com · smtp.exmail.qq.com:465');
  });
});

describe('server errors on the form', () => {
  it('maps API paths to form fields', () => {
    expect(fieldOfPath('config.url')).toBe('url');
    expect(fieldOfPath('config.to.2')).toBe('to');
    expect(fieldOfPath('events.1')).toBe('events');
    expect(fieldOfPath('name')).toBe('name');
    expect(fieldOfPath('config')).toBeNull();
    expect(fieldOfPath('config.nonsense')).toBeNull();
    expect(fieldOfPath('')).toBeNull();
  });

  it('puts each invalid field’s message on it, and the rest above the form', () => {
    const errors = serverFieldErrors(
      {
        fields: [
          { in: 'body', path: 'config.url', message: 'must be a public host' },
          { in: 'body', path: 'config.to.1', message: 'must be an e-mail address' },
          { in: 'body', path: 'config.to.3', message: 'must be an e-mail address' },
          { in: 'body', path: 'config', message: 'Invalid input' },
        ],
      },
      'Invalid request',
    );
    expect(errors).toEqual({
      fields: [
        { name: 'url', errors: ['must be a public host'] },
        { name: 'to', errors: ['must be an e-mail address', 'must be an e-mail address'] },
      ],
      other: ['config: Invalid input'],
    });
  });

  it('puts a conflict on its field with the server’s message', () => {
    const message = 'A notification channel named "x" exists already; choose another name.';
    expect(serverFieldErrors({ field: 'name' }, message)).toEqual({
      fields: [{ name: 'name', errors: [message] }],
      other: [],
    });
  });

  it('falls back to the error’s message when the details name nothing', () => {
    expect(serverFieldErrors(undefined, 'Something went wrong')).toEqual({
      fields: [],
      other: ['Something went wrong'],
    });
  });
});
