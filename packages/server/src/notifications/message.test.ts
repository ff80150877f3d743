import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NotificationPayload } from '@tierline/contract';
import { dingTalkSign, feishuSign, prepare, webhookSignature } from './formats.js';
import { cutBytes, localTime, markdown, messageParts, plainText } from './message.js';
import { maskUrl, unmaskUrl } from './redact.js';

const payload: NotificationPayload = {
  event: 'escalated',
  alert: {
    id: 9,
    rule: 'sales-decline',
    ruleName: '销售额连续下滑',
    severity: 'critical',
    status: 'acknowledged',
    dealer: { id: 1, code: 'GD001', name: '广州天河\n食品', region: '440106' },
    owner: null,
    title: '销售额下降 32%',
    summary: '第一行\n第二行',
    openedAt: '2026-03-01T16:30:00.000Z',
  },
  tenant: { id: 1, slug: 'demo', name: 'Demo', locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
  link: 'https://tierline.example.com/alerts/9',
};

describe('notification messages', () => {
  it('speak Chinese by default and English for en-US tenants, in the tenant time zone', () => {
    const zh = messageParts(payload);
    expect(zh.title).toBe('【严重】预警升级：销售额下降 32%');
    expect(zh.fields).toContainEqual({ label: '经销商', value: '广州天河 食品（GD001）' });
    expect(zh.fields).toContainEqual({ label: '负责人', value: '无' });
    expect(zh.fields).toContainEqual({ label: '发生时间', value: '2026-03-02 00:30' });
    const en = messageParts({
      ...payload,
      tenant: { ...payload.tenant, locale: 'en-US', timeZone: 'America/Los_Angeles' },
    });
    expect(en.title).toBe('[Critical] Alert escalated: 销售额下降 32%');
    expect(en.fields).toContainEqual({ label: 'Status', value: 'Acknowledged' });
    expect(en.fields).toContainEqual({ label: 'Opened', value: '2026-03-01 08:30' });
    expect(plainText(en)).toContain('View in the console: https://tierline.example.com/alerts/9');
    expect(localTime('not a time', 'Asia/Shanghai')).toBe('not a time');
  });

  it('cut text on a character boundary within the byte limit', () => {
    expect(cutBytes('abc', 3)).toBe('abc');
    const cut = cutBytes('预警'.repeat(10), 10);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10);
    expect(cut).toBe('预警…');
    const md = markdown(
      messageParts({ ...payload, alert: { ...payload.alert, summary: '长'.repeat(5000) } }),
      '\n',
      4096,
    );
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(4096);
    expect(md).toContain('[在控制台查看](https://tierline.example.com/alerts/9)');
  });

  it('sign as each vendor documents', () => {
    const body = '{"a":1}';
    expect(webhookSignature('s', 1700000000, body)).toBe(
      `t=1700000000,v1=${createHmac('sha256', 's').update(`1700000000.${body}`).digest('hex')}`,
    );
    expect(dingTalkSign('SECx', 1700000000000)).toBe(
      createHmac('sha256', 'SECx').update('1700000000000\nSECx').digest('base64'),
    );
    expect(feishuSign('k', 1700000000)).toBe(
      createHmac('sha256', '1700000000\nk').update('').digest('base64'),
    );
    const dingtalk = prepare(
      {
        kind: 'dingtalk',
        config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=t' },
        secret: 'SECx',
      },
      payload,
      { deliveryId: 1, now: new Date(1700000000000) },
    );
    expect(dingtalk.transport === 'http' && dingtalk.url.searchParams.get('sign')).toBe(
      dingTalkSign('SECx', 1700000000000),
    );
    expect(dingtalk.transport === 'http' && dingtalk.url.searchParams.get('timestamp')).toBe(
      '1700000000000',
    );
    // A robot's answer: errcode 0 only.
    if (dingtalk.transport !== 'http') throw new Error('http expected');
    expect(dingtalk.check(200, '{"errcode":0,"errmsg":"ok"}')).toBeNull();
    expect(dingtalk.check(200, '{"errcode":130101,"errmsg":"send too fast"}')).toBe(
      'errcode 130101: send too fast (HTTP 200)',
    );
    expect(dingtalk.check(502, '<html>bad gateway</html>')).toBe('answered HTTP 502');
  });

  it('mask robot credentials in URLs, and take a masked URL back as the stored one', () => {
    const ding = 'https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef';
    expect(maskUrl(ding, 'dingtalk')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=0123…',
    );
    const wecom = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx';
    expect(maskUrl(wecom, 'wecom')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…',
    );
    const feishu = 'https://open.feishu.cn/open-apis/bot/v2/hook/b1a2c3d4-e5f6';
    expect(maskUrl(feishu, 'feishu')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/b1a2…');
    expect(maskUrl('https://hooks.example.com/tierline', 'webhook')).toBe(
      'https://hooks.example.com/tierline',
    );
    expect(unmaskUrl(maskUrl(ding, 'dingtalk'), ding, 'dingtalk')).toBe(ding);
    expect(
      unmaskUrl('https://oapi.dingtalk.com/robot/send?access_token=new', ding, 'dingtalk'),
    ).toBe('https://oapi.dingtalk.com/robot/send?access_token=new');
  });
});
