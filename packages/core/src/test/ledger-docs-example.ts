/**
 * The example log of docs/ledger.md, shared by the tests that keep that page true (core's
 * checkpoint tests, and the console's tests of the same code over its node:crypto shim): three
 * records, salted with SHA-256("salt i"), in a log signed with the key derived from
 * SHA-256(KEY_SEED).
 */
export const DOCS_EXAMPLE = {
  origin: 'tierline.example/ledger/demo',
  keySeed: 'tierline docs example key — do not use',
  saltSeed: (i: number) => `salt ${i}`,
  verifierKey: 'tierline.example/ledger/demo+3a370b78+AW5m/anempg5NbKcRan189U36Q6m7oTHNe7VuoRCB/Ua',
  records: [
    {
      kind: 'tier_decision',
      dealer: 'D-1042',
      period: '2025-06',
      tier: 'A',
      score: 87.5,
      policy: 3,
    },
    {
      kind: 'tier_decision',
      dealer: 'D-2001',
      period: '2025-06',
      tier: 'C',
      score: 41.25,
      policy: 3,
    },
    {
      kind: 'allocation',
      dealer: 'D-1042',
      period: '2025-07',
      resource: 'rebate',
      amountFen: 1200000,
    },
  ],
  /** The commitments of the records, in hex. */
  entries: [
    '2c484bbfa0279373115f35f599659067b76ea14bf75c81ec5182a709c1158421',
    'e32a7a7474175f5dcb3a057cc3109ceafb07ccadc6c49f3acf6f80bc7beab04b',
    '8ccdb1bf9ebf502f471922e9d8c7c44c5551b368afb519b9b2caf71ea4f82756',
  ],
  /** The signed checkpoint of the three entries. */
  note:
    'tierline.example/ledger/demo\n3\nTGKQz5BkctysTJrdse/BBNZkGgC1L2I0C+OhJ70nY2g=\n\n' +
    '— tierline.example/ledger/demo OjcLeFVws4kQxQ1MN9sTWDHju4esEUcMk/GwSDSdCRJZkLMI9oCgQluXznHh1jH82+ajGFXQeknVuLRrk8rDyaXNaQI=\n',
} as const;
