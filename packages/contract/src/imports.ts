import { z } from 'zod';

/** Every kind of data an import takes (PRODUCT §1). */
export const ImportKind = z.enum([
  'regions',
  'dealers',
  'products',
  'outlets',
  'order_lines',
  'invoices',
  'payments',
  'targets',
  'inventory',
  'visits',
  'complaints',
  'compliance_events',
  'campaigns',
  'campaign_executions',
  'custom_measures',
]);
export type ImportKind = z.infer<typeof ImportKind>;

/** How one field of the kind is filled from the file. */
export const FieldMapping = z
  .object({
    column: z
      .union([z.string().min(1), z.number().int().min(1)])
      .optional()
      .describe('Header name, or 1-based column position (for files without a header row)'),
    const: z
      .union([z.string(), z.number()])
      .optional()
      .describe('A constant for every row instead of a column'),
    values: z
      .record(z.string(), z.string())
      .optional()
      .describe('Value map applied before validation, e.g. {"合作中": "active"}'),
    dateFormat: z
      .string()
      .max(40)
      .optional()
      .describe('Date pattern for ambiguous dates (date-fns tokens), e.g. "dd/MM/yyyy"'),
    scale: z
      .number()
      .positive()
      .optional()
      .describe('Multiply numbers by this, e.g. 10000 when amounts are in 万元'),
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMapping>;

/** A saved column mapping: how a tenant's file of one kind maps onto Tierline's fields. */
export const ImportMapping = z
  .object({
    kind: ImportKind,
    header: z
      .boolean()
      .default(true)
      .describe('Whether the first row is a header row (default true)'),
    delimiter: z
      .enum([',', '\t', '|', ';'])
      .optional()
      .describe('CSV delimiter; detected when absent'),
    encoding: z
      .string()
      .max(20)
      .optional()
      .describe('utf-8, utf-16le, utf-16be, gbk or gb18030; detected when absent'),
    sheet: z.string().max(100).optional().describe('XLSX sheet name; the first sheet when absent'),
    fields: z
      .record(z.string(), FieldMapping)
      .default({})
      .describe(
        'Per field; fields left out are matched by header name and its Chinese/English aliases',
      ),
  })
  .strict();
export type ImportMapping = z.infer<typeof ImportMapping>;
export type ImportMappingInput = z.input<typeof ImportMapping>;

export const ImportIssue = z.object({
  row: z.number().int().nullable().describe('Row number in the file (1 = first line); null for the file'),
  column: z.string().nullable().describe('Column (header name or position)'),
  field: z.string().nullable().describe('Tierline field'),
  value: z.string().nullable().describe('The value as found, cut to 100 characters'),
  reason: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportOutcome = z
  .enum(['applied', 'partially_applied', 'rejected', 'validated', 'unchanged'])
  .describe(
    'applied: every row written; partially_applied: the valid rows (accept-valid); rejected: nothing written; validated: dry run without errors; unchanged: every row already held these values',
  );
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const ImportResult = z.object({
  batchId: z.number().int().nullable().describe('The recorded batch; null for a dry run'),
  kind: ImportKind,
  fileName: z.string(),
  sha256: z.string(),
  outcome: ImportOutcome,
  rows: z.number().int().describe('Data rows read'),
  valid: z.number().int(),
  invalid: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  issues: z.array(ImportIssue).describe('Up to 1,000 issues, in row order'),
  issueCount: z.number().int().describe('All issues, including those beyond the list'),
  sameAsBatch: z
    .number()
    .int()
    .nullable()
    .describe('An earlier applied batch with the same kind and SHA-256'),
  seconds: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;
