import type { Resume } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { resumeRows } from './resume-records';

function resume(records: string[]): Resume {
  return {
    format: 'tierline-resume/1',
    origin: 'localhost/ledger/demo',
    verifierKey: 'localhost/ledger/demo+d5a68f8d+AawM5raiUTZzUHlprx5+X1qlnBtg3uYzkxRK2xqJuylk',
    dealer: { code: 'DL000001', name: '清河门永丰贸易' },
    checkpoint: '',
    generatedAt: '2026-11-28T18:23:21.827Z',
    entries: records.map((record, i) => ({ index: 100 + i, record, salt: '', proof: [] })),
  };
}

describe("the portal's rows of a résumé", () => {
  it('reads decisions and overrides from the committed JSON, newest period first', () => {
    const rows = resumeRows(
      resume([
        '{"dealer":{"code":"DL000001","id":1},"kind":"tier_decision","override":null,"period":"2025-11","score":43.703202,"tier":"potential"}',
        '{"dealer":{"code":"DL000001","id":1},"kind":"tier_override","override":{"id":3,"kind":"lock","reason":"新开大区","tier":"core","until":null},"period":"2026-10","run":12}',
        '{"dealer":{"code":"DL000001","id":1},"kind":"tier_decision","override":{"kind":"lock","reason":"新开大区"},"period":"2026-10","score":57.67,"tier":"core"}',
      ]),
    );
    expect(rows).toEqual([
      {
        index: 102,
        kind: 'tier_decision',
        period: '2026-10',
        tier: 'core',
        score: 57.67,
        override: { kind: 'lock', reason: '新开大区' },
        money: null,
      },
      {
        index: 101,
        kind: 'tier_override',
        period: '2026-10',
        tier: 'core',
        score: null,
        override: { kind: 'lock', reason: '新开大区' },
        money: null,
      },
      {
        index: 100,
        kind: 'tier_decision',
        period: '2025-11',
        tier: 'potential',
        score: 43.703202,
        override: null,
        money: null,
      },
    ]);
  });

  it('still lists a record that does not parse, for verification to explain', () => {
    expect(resumeRows(resume(['{"kind":']))).toEqual([
      {
        index: 100,
        kind: null,
        period: null,
        tier: null,
        score: null,
        override: null,
        money: null,
      },
    ]);
  });

  it('reads the money of allocation, rebate and market-fund records', () => {
    const rows = resumeRows(
      resume([
        '{"amount":84213,"dealer":{"code":"DL000001","id":1},"kind":"allocation_line","period":"2026-11","tier":"potential"}',
        '{"alreadyPaid":1200,"dealer":{"code":"DL000001","id":1},"due":-200,"kind":"rebate_settlement","period":"2026-Q3","rebate":1000,"tier":"potential"}',
        '{"amount":50000,"decision":"paid","dealer":{"code":"DL000001","id":1},"id":7,"kind":"fund_decision","period":"2026-12","subject":"claim"}',
        '{"amount":"5","decision":"paid","kind":"fund_decision","period":"2026-12","subject":"claim"}',
      ]),
    );
    // Newest period first (as text), then the later entry first.
    expect(rows.map((r) => [r.kind, r.tier, r.money])).toEqual([
      ['rebate_settlement', 'potential', { kind: 'rebate', rebate: 1000, due: -200 }],
      ['fund_decision', null, null],
      ['fund_decision', null, { kind: 'fund', decision: 'paid', subject: 'claim', amount: 50000 }],
      ['allocation_line', 'potential', { kind: 'allocation', amount: 84213 }],
    ]);
  });
});
