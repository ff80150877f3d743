import { z } from 'zod';
import { Cursor, Limit, pageOf } from './common.js';

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

/** A column of the file: its header name, or its 1-based position. */
const ColumnRef = z.union([z.string().min(1), z.number().int().min(1)]);

/** How one field of the kind is filled from the file. */
export const FieldMapping = z
  .object({
    column: ColumnRef.optional().describe(
      'Header name, or 1-based column position (for files without a header row)',
    ),
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
    fallback: ColumnRef.optional().describe(
      "Another column read when this field's column is empty in a row, e.g. a mobile number when the office phone is blank",
    ),
    template: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'A computed value: text with {column} placeholders (header name or 1-based position), e.g. "AW-{ResellerKey}" or "{FirstName} {LastName}"; write {{ and }} for braces',
      ),
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMapping>;

/** A condition on one column that a row must meet to be imported. */
export const RowCondition = z
  .object({
    column: ColumnRef.describe('Header name, or 1-based column position'),
    in: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Import the row only when the cell (trimmed) is one of these'),
    notIn: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('Skip the row when the cell (trimmed) is one of these; "" stands for empty'),
  })
  .strict()
  .refine((c) => (c.in === undefined) !== (c.notIn === undefined), {
    message: 'give exactly one of in and notIn',
  });
export type RowCondition = z.infer<typeof RowCondition>;

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
    where: z
      .array(RowCondition)
      .max(20)
      .optional()
      .describe(
        'Row filter: only rows meeting every condition are imported; the others are skipped',
      ),
    duplicates: z
      .enum(['reject', 'last'])
      .optional()
      .describe(
        'A key repeated within the file: reject (the default) reports every repeat as an issue; last imports the last valid row of each key and skips the earlier ones',
      ),
  })
  .strict();
export type ImportMapping = z.infer<typeof ImportMapping>;
export type ImportMappingInput = z.input<typeof ImportMapping>;

/**
 * Every reason an import gives for a cell or a row, with the names of the parameters that
 * fill its message: the catalog (`import-reasons.ts`) says it in each language for the
 * console and for downloaded reports, so a new reason needs a code here and a message there in
 * each language (a test checks both sides).
 */
export const importIssueParams = {
  /** An empty cell of a required field. */
  required: ['field'],
  /** Bytes that did not decode in the file's encoding. */
  bad_encoding: [],
  /** A cell holding a formula ("=…"): paste the values. */
  formula: ['start'],
  /** Text a spreadsheet would run as a formula (+, -, @, tab): remove the leading character. */
  formula_prefix: ['start'],
  control_characters: [],
  too_long: ['max'],
  tag_formula: [],
  tag_too_long: ['max'],
  /** `choices` lists the allowed values, comma-separated. */
  not_a_choice: ['choices', 'value'],
  not_a_number: ['value'],
  out_of_range: ['value'],
  not_whole: ['value'],
  negative: ['value'],
  below_min: ['min', 'value'],
  above_max: ['max', 'value'],
  not_a_date: ['value'],
  /** Not a date in the mapping's `dateFormat`. */
  not_a_date_in_format: ['value', 'format'],
  not_a_month: ['value'],
  /** A row with cells beyond the header's width. */
  extra_cells: ['cells', 'columns'],
  /** A CSV row that stops before a required field's column. */
  row_short: ['cells', 'columns'],
  /** The same, in a file without a header row. */
  row_short_headerless: ['cells'],
  parent_dealer_required: [],
  parent_dealer_not_allowed: [],
  dealer_own_parent: [],
  region_own_parent: [],
  ends_before_start: [],
  due_before_issue: [],
  /** The file (row null): a header and no data rows. */
  no_data_rows: [],
  /** The file (row null): the row filter skipped every row. */
  all_rows_filtered: ['rows'],
  /** `key` names the key fields, e.g. "order_no, line_no"; `row` is the first row with it. */
  duplicate_key: ['row', 'key'],
  unknown_dealer: ['code'],
  /** A dealer's parent that is neither stored nor in the file. */
  unknown_parent_dealer: ['code'],
  unknown_product: ['code'],
  unknown_outlet: ['code'],
  unknown_region: ['code'],
  /** A region's parent that is neither stored nor in the file. */
  unknown_parent_region: ['code'],
  unknown_campaign: ['code'],
} as const satisfies Record<string, readonly string[]>;

/** The code of an import issue's reason (see {@link importIssueParams}). */
export const ImportIssueCode = z.enum(
  Object.keys(importIssueParams) as [
    keyof typeof importIssueParams,
    ...(keyof typeof importIssueParams)[],
  ],
);
export type ImportIssueCode = z.infer<typeof ImportIssueCode>;

/** The parameters of a reason code's message, by name. */
export type ImportIssueParams<C extends ImportIssueCode = ImportIssueCode> = Record<
  (typeof importIssueParams)[C][number],
  string | number
>;

/** Reasons only the preview gives, for a cell it cannot read (see {@link importIssueParams}). */
export const importPreviewParams = {
  /** A required field that no column of the file fills. */
  no_column: ['field'],
} as const satisfies Record<string, readonly string[]>;

/** The code of a preview cell's reason that is no import issue. */
export const ImportPreviewCode = z.enum(
  Object.keys(importPreviewParams) as [
    keyof typeof importPreviewParams,
    ...(keyof typeof importPreviewParams)[],
  ],
);
export type ImportPreviewCode = z.infer<typeof ImportPreviewCode>;

/**
 * Every reason an import refuses a whole request for (a 400, or the 413 and 409 below), with
 * the names of its parameters: the error keeps its English `message` and adds
 * `details.reason` (one of these codes) and `details.params`, so that clients can say it in
 * their language (the catalog in `import-reasons.ts`). The preview's `problem` uses the
 * mapping's codes. `path` parameters are paths in the mapping (fields.amount.fallback).
 */
export const importFileErrorParams = {
  // The file as a whole.
  file_empty: [],
  /** A CSV of blank lines only. */
  file_blank: [],
  sheet_empty: [],
  old_xls: [],
  /** `format` names what it is instead (PDF, PNG, gzip …). */
  not_csv_or_xlsx: ['format'],
  html_file: [],
  unknown_encoding: ['encoding'],
  /** A GBK/GB18030 encoding given for a file that is UTF-8. */
  declared_encoding_is_utf8: ['encoding'],
  nul_bytes: [],
  header_bad_encoding: ['encoding'],
  /** A CSV record longer than `max` KiB, from the row in `details.row`. */
  record_too_long: ['max'],
  quote_not_closed: [],
  quote_inside_field: ['column'],
  text_after_quote: ['column'],
  /** Any other CSV error; `detail` is the parser's English text. */
  csv_unreadable: ['detail'],
  /** The bytes stopped coming (a broken upload or disk); `detail` in English. */
  read_broke_off: ['detail'],
  xlsx_too_many_cells: ['max'],
  /** `detail` is the reader's English text. */
  xlsx_unreadable: ['detail'],
  xlsx_cut_short: [],
  /** An entry that expands more than 100 times: a decompression bomb. */
  xlsx_bomb: ['entry'],
  /** The workbook (or one of its parts) expands past what an import takes. */
  xlsx_too_big: [],
  /** `entries` lists the first entries of the archive. */
  zip_not_xlsx: ['entries'],
  no_sheet: [],
  sheet_not_found: ['sheet', 'sheets'],
  // The mapping against the file (also the preview's `problem`).
  mapping_unknown_fields: ['fields', 'kind', 'known'],
  mapping_column_needs_header: ['column', 'path'],
  mapping_column_not_found: ['column', 'path', 'columns'],
  mapping_many_sources: ['field'],
  mapping_fallback_without_column: ['field'],
  template_unclosed: ['field', 'template'],
  template_empty_placeholder: ['field', 'template'],
  template_stray_brace: ['field', 'template'],
  template_no_column: ['field', 'template'],
  /** `fields` lists required fields without a column; `columns` the header's. */
  missing_columns: ['fields', 'columns'],
  missing_columns_headerless: ['fields'],
  /** The header read as one column holding another `delimiter`. */
  missing_columns_delimiter: ['fields', 'header', 'delimiter'],
  /** A mapping refused by path: each of `details.fields[]` has its own reason when it has one. */
  invalid_mapping: ['count'],
  mapping_not_json: ['detail'],
  mapping_wrong_kind: ['kind', 'expected'],
  mapping_and_mapping_json: [],
  unknown_mapping: ['name'],
  mapping_other_kind: ['name', 'kind', 'expected'],
  // The request.
  wrong_content_type: ['expected', 'actual'],
  bad_idempotency_key: [],
  /** A 409: the key was used for a batch (`batch`) of another kind. */
  idempotency_key_other_kind: ['batch', 'kind', 'expected'],
  /** A 413; `max` in MiB. */
  file_too_large: ['max'],
  upload_broke_off: [],
  // The ingestion API; `item` counts from 0.
  ingest_not_array: [],
  ingest_empty: [],
  item_not_object: ['item'],
  item_unknown_field: ['item', 'field', 'kind', 'known'],
  item_not_finite: ['item', 'field'],
  item_bad_value: ['item', 'field'],
  item_empty: ['item'],
  ndjson_bad_json: ['line', 'item', 'detail'],
} as const satisfies Record<string, readonly string[]>;

/** The code of an import error's `details.reason` (see {@link importFileErrorParams}). */
export const ImportFileErrorCode = z.enum(
  Object.keys(importFileErrorParams) as [
    keyof typeof importFileErrorParams,
    ...(keyof typeof importFileErrorParams)[],
  ],
);
export type ImportFileErrorCode = z.infer<typeof ImportFileErrorCode>;

export type ImportFileErrorParams<C extends ImportFileErrorCode = ImportFileErrorCode> = Record<
  (typeof importFileErrorParams)[C][number],
  string | number
>;

/** Every reason code of imports: issues, the preview's own, and whole-request errors. */
export const importReasonParams = {
  ...importIssueParams,
  ...importPreviewParams,
  ...importFileErrorParams,
} as const;
export type ImportReasonCode = ImportIssueCode | ImportPreviewCode | ImportFileErrorCode;

/** What an import's error adds to its `details`: the reason as a code, and its parameters. */
export const ImportErrorReason = z.object({
  reason: ImportFileErrorCode,
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ImportErrorReason = z.infer<typeof ImportErrorReason>;

/** The languages import reasons are written in: the console's. */
export const ImportLocale = z.enum(['zh-CN', 'en-US']);
export type ImportLocale = z.infer<typeof ImportLocale>;

export const ImportIssue = z.object({
  row: z
    .number()
    .int()
    .nullable()
    .describe('Row number in the file (1 = first line); null for the file'),
  column: z.string().nullable().describe('Column (header name or position)'),
  field: z.string().nullable().describe('Tierline field'),
  value: z.string().nullable().describe('The value as found, cut to 100 characters'),
  reason: z.string().describe('Why, in English'),
  code: ImportIssueCode.optional().describe(
    'The reason as a code, for clients that show it in another language; absent in batches recorded before codes existed',
  ),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe("The values that fill the code's message, e.g. { value, format }"),
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
  skipped: z
    .number()
    .int()
    .describe(
      'Rows left out on purpose: by the row filter, or superseded by a later row of the same key',
    ),
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

// ---------------------------------------------------------------------------------------------
// The import API (issue 3): uploads, the ingestion API, batches, saved mappings, previews.

const QueryFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A saved mapping's name: its key within the tenant, also a URL path segment. */
export const ImportMappingName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^/\\?#%\u0000-\u001f\u007f]+$/, 'use no / \\ ? # % or control characters')
  .describe('Name of a saved mapping, e.g. "AdventureWorks resellers" or "金蝶回款"');

export const ImportKindParams = z.object({ kind: ImportKind });

/** How to read the uploaded file: a saved mapping and overrides of its file settings. */
export const ImportFileQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe('The file name for the batch record and the report (default "upload")'),
  mapping: ImportMappingName.optional().describe(
    'A saved mapping of the tenant for this kind; else columns are matched by header name',
  ),
  encoding: z
    .string()
    .max(20)
    .optional()
    .describe('utf-8, utf-16le, utf-16be, gbk or gb18030; overrides the mapping and detection'),
  delimiter: z
    .enum([',', 'tab', '|', ';'])
    .optional()
    .describe('CSV delimiter (tab for a tab); overrides the mapping and detection'),
  sheet: z.string().max(100).optional().describe('XLSX sheet name; the first sheet when absent'),
  header: QueryFlag.optional().describe(
    'false when the first row is data, not a header (then the mapping gives positions)',
  ),
});
export type ImportFileQuery = z.infer<typeof ImportFileQuery>;

export const ImportQuery = ImportFileQuery.extend({
  dryRun: QueryFlag.optional().describe('true: validate only; nothing is written or recorded'),
  acceptValid: QueryFlag.optional().describe(
    'true: write the valid rows and report the others (default: all or nothing)',
  ),
});
export type ImportQuery = z.infer<typeof ImportQuery>;

/** Options of the ingestion API; the body holds the records. */
export const IngestQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe('A name for the batch record (default "api-<kind>.json" or ".ndjson")'),
  dryRun: ImportQuery.shape.dryRun,
  acceptValid: ImportQuery.shape.acceptValid,
});
export type IngestQuery = z.infer<typeof IngestQuery>;

export const IngestItem = z.object({
  index: z.number().int().describe('Position of the item in the array or NDJSON stream, from 0'),
  status: z.enum(['ok', 'invalid']),
  issues: z.array(ImportIssue),
});
export type IngestItem = z.infer<typeof IngestItem>;

export const IngestResult = z.object({
  result: ImportResult.describe(
    'The import; issue rows are rows of the records as a table: row = index + 2 (row 1 is the header)',
  ),
  items: z
    .array(IngestItem)
    .describe(
      'Only the invalid items, in index order, with their issues; every other item is ok. It covers the issues that result.issues lists (the first 1,000); result.invalid counts all.',
    ),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const ImportActor = z.object({
  kind: z.enum(['user', 'token', 'cli', 'system', 'anonymous']),
  name: z
    .string()
    .nullable()
    .describe('Login, token or operator name; null when an API token asks (it sees no names)'),
});

/** What a recorded batch did: dry runs (validated) record none. */
export const ImportBatchOutcome = ImportOutcome.exclude(['validated']);

export const ImportBatch = z.object({
  id: z.number().int(),
  kind: ImportKind,
  source: z.enum(['file', 'api']).describe('file: an upload or the CLI; api: the ingestion API'),
  fileName: z.string(),
  sha256: z.string(),
  sizeBytes: z.number().int(),
  outcome: ImportBatchOutcome,
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  skipped: z
    .number()
    .int()
    .describe('Rows left out by the row filter or superseded by a later row'),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  issueCount: z.number().int(),
  idempotencyKey: z.string().nullable(),
  actor: ImportActor,
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type ImportBatch = z.infer<typeof ImportBatch>;

export const ImportBatchDetail = ImportBatch.extend({
  issues: z.array(ImportIssue).describe('The first 1,000 issues, in row order'),
  mapping: ImportMapping.describe('The mapping the batch was read with'),
});
export type ImportBatchDetail = z.infer<typeof ImportBatchDetail>;

export const ImportBatchQuery = z.object({
  limit: Limit,
  cursor: Cursor,
  kind: ImportKind.optional(),
  outcome: ImportBatchOutcome.optional(),
});
export type ImportBatchQuery = z.infer<typeof ImportBatchQuery>;

export const ImportBatchPage = pageOf(ImportBatch);
export type ImportBatchPage = z.infer<typeof ImportBatchPage>;

export const ImportReportQuery = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv').describe('csv (UTF-8 with BOM) or xlsx'),
  lang: ImportLocale.optional().describe(
    "The language of the header row and the reasons: zh-CN or en-US; the tenant's locale when absent",
  ),
});

/** The issues of a dry run (which records no batch), to download as a report. */
export const ImportReportRequest = z.object({
  fileName: z.string().max(255).default('import').describe('Names the downloaded report'),
  issues: z.array(ImportIssue).max(1000),
});
export type ImportReportRequest = z.input<typeof ImportReportRequest>;

export const SavedImportMapping = z.object({
  name: z.string(),
  kind: ImportKind,
  mapping: ImportMapping,
  updatedAt: z.string(),
  updatedBy: z
    .string()
    .nullable()
    .describe('Login or token name; null when an API token asks (it sees no names)'),
});
export type SavedImportMapping = z.infer<typeof SavedImportMapping>;

export const SavedImportMappingList = z.object({ items: z.array(SavedImportMapping) });
export type SavedImportMappingList = z.infer<typeof SavedImportMappingList>;

export const ImportFieldType = z.enum([
  'text',
  'int',
  'decimal',
  'money',
  'date',
  'month',
  'enum',
  'tags',
]);
export type ImportFieldType = z.infer<typeof ImportFieldType>;

/** What a file would import as: how it was read, how fields matched, the first rows parsed. */
export const ImportPreview = z.object({
  kind: ImportKind,
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable().describe('CSV: the encoding detected or given'),
  delimiter: z.string().nullable().describe('CSV: the delimiter detected or given'),
  sheet: z.string().nullable().describe('XLSX: the sheet read'),
  header: z.array(z.string()).nullable().describe('The header row; null without one'),
  problem: z
    .string()
    .nullable()
    .describe(
      'Why the file cannot be imported as mapped (e.g. no column for a required field), in English; the fields then show the header matches found',
    ),
  problemCode: ImportFileErrorCode.optional().describe(
    'The problem as a code (what an import would answer in error.details.reason); absent without a problem',
  ),
  problemParams: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe("The values that fill the problem code's message"),
  fields: z.array(
    z.object({
      field: z.string(),
      zh: z.string().describe('Chinese column name of the template'),
      note: z.string().describe('What the field holds and how to fill it, in English'),
      noteZh: z.string().describe('The same note in Chinese'),
      type: ImportFieldType,
      required: z.boolean(),
      source: z.enum(['column', 'constant', 'template', 'none']),
      column: z
        .string()
        .nullable()
        .describe('The header cell (or "column N") the field reads, or its template'),
      position: z.number().int().nullable().describe('1-based column position'),
      constant: z.string().nullable(),
    }),
  ),
  rows: z
    .array(
      z.object({
        row: z.number().int().describe('Row number in the file (1 = first line)'),
        cells: z
          .array(
            z.object({
              raw: z.string().nullable().describe('The cell as found, cut to 100 characters'),
              value: z
                .union([z.string(), z.number()])
                .nullable()
                .describe('What it imports as (money in minor units); null when empty or bad'),
              text: z.string().nullable().describe('The value for display'),
              reason: z.string().nullable().describe('Why the cell is not valid; null when it is'),
              code: z
                .union([ImportIssueCode, ImportPreviewCode])
                .optional()
                .describe(
                  'The reason as a code (see ImportIssue); no_column: a required field that no column fills',
                ),
              params: z
                .record(z.string(), z.union([z.string(), z.number()]))
                .optional()
                .describe("The values that fill the code's message"),
            }),
          )
          .describe('One per field, in the order of fields'),
      }),
    )
    .describe('The first 20 data rows; codes of dealers, products … are checked by a dry run'),
  more: z.boolean().describe('The file has more rows than shown'),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
