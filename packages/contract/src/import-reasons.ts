import type { ImportLocale, ImportReasonCode } from './imports.js';

/**
 * The import reason catalog: the message of every reason code of imports (`ImportIssueCode`,
 * `ImportPreviewCode`, `ImportFileErrorCode`) in each language the console speaks, with
 * `{name}` placeholders filled by the code's parameters (`importReasonParams`). The console
 * shows it as `imports.reason.<code>`; the server writes it into downloaded issue reports and
 * clients can show an error's `details.reason` with it. One source for both, so a new code
 * needs a message here in every language (a test checks the placeholders too).
 */
type Catalog = Readonly<Record<ImportReasonCode, string>>;

const zhCN: Catalog = {
  required: '{field} 为必填项',
  bad_encoding: '含有不符合文件编码的字节（这一行是否以其他编码保存，例如 UTF-8 文件中混有 GBK？）',
  formula: '是电子表格公式（以“{start}”开头）；Tierline 不保存公式：请粘贴数值',
  formula_prefix: '看起来像电子表格公式（以“{start}”开头）；Tierline 不保存公式：请去掉开头的字符',
  control_characters: '含有控制字符（是二进制文件，或编码不对？）',
  too_long: '超过 {max} 个字符',
  tag_formula: '有标签看起来像电子表格公式',
  tag_too_long: '有标签超过 {max} 个字符',
  not_a_choice: '应为 {choices} 之一，而不是“{value}”',
  not_a_number: '不是数字：“{value}”',
  out_of_range: '超出范围：“{value}”',
  not_whole: '应为整数，而不是“{value}”',
  negative: '不能为负数：“{value}”',
  below_min: '不能小于 {min}：“{value}”',
  above_max: '不能大于 {max}：“{value}”',
  not_a_date: '不是日期：“{value}”（请用 YYYY-MM-DD，或在映射中设置日期格式）',
  not_a_date_in_format: '不是日期：“{value}”（应为 {format}）',
  not_a_month: '不是月份：“{value}”（请用 YYYY-MM）',
  extra_cells: '这一行有 {cells} 个单元格，但表头只有 {columns} 列（多了分隔符？）',
  row_short: '缺失：这一行只有 {cells} 个单元格，表头有 {columns} 列',
  row_short_headerless: '缺失：这一行只有 {cells} 个单元格',
  parent_dealer_required: '二级经销商（层级 2）需要填写其一级经销商的编码',
  parent_dealer_not_allowed: '一级经销商（层级 1）没有上级经销商',
  dealer_own_parent: '经销商不能是自己的上级',
  region_own_parent: '区域不能是自己的上级',
  ends_before_start: '结束日期早于开始日期',
  due_before_issue: '到期日早于开票日期',
  no_data_rows: '文件只有表头，没有数据行',
  all_rows_filtered: '没有可导入的行：映射的行筛选跳过了全部 {rows} 行',
  duplicate_key: '重复的键：与第 {row} 行的 {key} 相同',
  unknown_dealer: '经销商编码“{code}”不存在',
  unknown_parent_dealer: '上级经销商编码“{code}”不存在（本文件中也没有）',
  unknown_product: '产品编码“{code}”不存在',
  unknown_outlet: '终端编码“{code}”不存在',
  unknown_region: '区域编码“{code}”不存在',
  unknown_parent_region: '上级区域编码“{code}”不存在（本文件中也没有）',
  unknown_campaign: '活动编码“{code}”不存在',

  no_column: '文件中没有对应 {field} 的列',

  file_empty: '文件是空的',
  file_blank: '文件没有任何行（是空白文件）',
  sheet_empty: '工作表没有任何行',
  old_xls:
    '是旧版 Excel .xls 工作簿（或加了密码的工作簿），Tierline 无法读取：请另存为 XLSX 或 CSV',
  not_csv_or_xlsx: '不是 CSV 或 XLSX 文件（而是 {format} 文件）：请另存为 CSV 或 XLSX',
  html_file:
    '是 HTML 或 XML 文件，不是 CSV 或 XLSX（网页，或另存为 .xls 的导出？）：请在 Excel 中打开并另存为 XLSX 或 CSV',
  unknown_encoding: '未知的编码“{encoding}”：请用 utf-8、utf-16le、utf-16be、gbk 或 gb18030',
  declared_encoding_is_utf8:
    '编码设为 {encoding}，但文件是 UTF-8：请在映射中把编码改为 utf-8，或留空自动识别',
  nul_bytes: '含有 NUL 字节：是二进制文件，或是没有字节顺序标记的 UTF-16（请指定编码）',
  header_bad_encoding:
    '表头含有不符合 {encoding} 编码的字节：文件是其他编码（中文 Excel 保存的 CSV 多为 GBK/GB18030），请在映射中设置编码',
  record_too_long: '从这一行开始的记录超过 {max} KiB：引号没有闭合，或是二进制文件',
  quote_not_closed: '从这一行开始的带引号字段没有闭合（文件可能不完整）',
  quote_inside_field:
    '第 {column} 列的字段中间有引号，但字段不以引号开头：请给整个字段加上引号，并把其中的引号写两次',
  text_after_quote: '第 {column} 列字段的结束引号后还有文字：带引号的字段中，引号要写两次',
  csv_unreadable: '无法按 CSV 读取（{detail}）',
  read_broke_off: '文件没能读到结尾（{detail}）',
  xlsx_too_many_cells: '工作簿超过 {max} 个单元格：请拆分',
  xlsx_unreadable: '不是可读取的 XLSX 工作簿（{detail}）',
  xlsx_cut_short: '不是可读取的 XLSX 工作簿：文件不完整',
  xlsx_bomb: '{entry} 解压后膨胀超过 100 倍：是压缩炸弹，或不是 Excel 写的工作簿，已拒绝',
  xlsx_too_big: '工作簿解压后过大：请拆分',
  zip_not_xlsx: '是 ZIP 压缩包，但不是 XLSX 工作簿（其中有 {entries}）',
  no_sheet: '工作簿没有工作表',
  sheet_not_found: '没有名为“{sheet}”的工作表（现有：{sheets}）',
  mapping_unknown_fields: '映射中有 {kind} 没有的字段：{fields}（可用字段：{known}）',
  mapping_column_needs_header:
    '映射在 {path} 指定了列“{column}”，但文件没有表头行：请改用列号（1、2、…）',
  mapping_column_not_found: '映射在 {path} 指定了列“{column}”，表头中没有（现有列：{columns}）',
  mapping_many_sources: '映射为 {field} 同时指定了列、常量、模板中的多个：只保留一个',
  mapping_fallback_without_column: '映射为 {field} 指定了备用列，却没有指定列',
  template_unclosed: '{field} 的模板“{template}”中有未闭合的 {：请写 {列名}，或用 {{ 表示花括号',
  template_empty_placeholder:
    '{field} 的模板“{template}”中有空的 {}：请写 {列名}，或用 {{ 表示花括号',
  template_stray_brace: '{field} 的模板“{template}”中有多余的 }：请用 }} 表示花括号',
  template_no_column: '{field} 的模板“{template}”没有引用任何列：固定值请用常量',
  missing_columns: '没有对应 {fields} 的列；表头有 {columns}。请修改列名，或在映射中指定',
  missing_columns_headerless: '文件没有表头行，映射必须为 {fields} 指定列号',
  missing_columns_delimiter:
    '没有对应 {fields} 的列；表头只有一列“{header}”：分隔符是否为“{delimiter}”？请在映射中设置分隔符（或留空自动识别）',
  invalid_mapping: '映射有 {count} 处问题',
  mapping_not_json: '映射不是有效的 JSON（{detail}）',
  mapping_wrong_kind: '映射的类型是 {kind}，但预览的是 {expected}',
  mapping_and_mapping_json:
    '请只发送 mapping（已保存映射的名称）或 mappingJson（未保存的映射）之一',
  unknown_mapping: '没有名为“{name}”的已保存映射',
  mapping_other_kind: '已保存的映射“{name}”用于 {kind}，不是 {expected}',
  wrong_content_type: '请把数据作为原始请求体发送，Content-Type 为 {expected}（而不是 {actual}）',
  bad_idempotency_key: 'Idempotency-Key 请求头应为 1 到 200 个可打印 ASCII 字符',
  idempotency_key_other_kind:
    '这个 Idempotency-Key 已用于 {kind} 的导入（批次 {batch}）：导入 {expected} 请换一个新键',
  file_too_large: '文件超过 {max} MiB：请拆分，或用命令行导入（tierline import）',
  upload_broke_off: '上传中断了',
  ingest_not_array: '请求体应为记录的 JSON 数组，或 Content-Type 为 application/x-ndjson 的 NDJSON',
  ingest_empty: '请求体中没有记录',
  item_not_object: '第 {item} 项不是由字段名和值组成的 JSON 对象',
  item_unknown_field: '第 {item} 项有未知字段“{field}”；{kind} 的字段：{known}',
  item_not_finite: '第 {item} 项的 {field} 不是有限数值',
  item_bad_value:
    '第 {item} 项的 {field} 是对象或非文本列表：请发送文本、数字、true/false 或标签列表',
  item_empty: '第 {item} 项没有任何值',
  ndjson_bad_json: 'NDJSON 第 {line} 行（第 {item} 项）不是有效的 JSON（{detail}）',
};

const enUS: Catalog = {
  required: '{field} is required',
  bad_encoding:
    "holds bytes that are not valid in the file's encoding (a row saved in another encoding, e.g. GBK in a UTF-8 file?)",
  formula:
    'looks like a spreadsheet formula (it starts with "{start}"); Tierline stores no formulas: paste the values instead',
  formula_prefix:
    'looks like a spreadsheet formula (it starts with "{start}"); Tierline stores no formulas: remove the leading character',
  control_characters: 'holds control characters (a binary file, or the wrong encoding?)',
  too_long: 'is longer than {max} characters',
  tag_formula: 'a tag looks like a spreadsheet formula',
  tag_too_long: 'a tag is longer than {max} characters',
  not_a_choice: 'must be one of {choices}, not "{value}"',
  not_a_number: 'is not a number: "{value}"',
  out_of_range: 'is out of range: "{value}"',
  not_whole: 'must be a whole number, not "{value}"',
  negative: 'must not be negative: "{value}"',
  below_min: 'must be at least {min}, not "{value}"',
  above_max: 'must be at most {max}, not "{value}"',
  not_a_date: 'is not a date: "{value}" (use YYYY-MM-DD, or give dateFormat in the mapping)',
  not_a_date_in_format: 'is not a date: "{value}" (expected {format})',
  not_a_month: 'is not a month: "{value}" (use YYYY-MM)',
  extra_cells: 'has {cells} cells but the header has {columns} columns (a stray delimiter?)',
  row_short: 'is missing: the row has {cells} cells of {columns}',
  row_short_headerless: 'is missing: the row has {cells} cells',
  parent_dealer_required: 'a 二级 dealer (chain_level 2) needs the code of its 一级 dealer',
  parent_dealer_not_allowed: 'a 一级 dealer (chain_level 1) has no parent dealer',
  dealer_own_parent: 'a dealer cannot be its own parent',
  region_own_parent: 'a region cannot be its own parent',
  ends_before_start: 'ends before it starts',
  due_before_issue: 'is before the issue date',
  no_data_rows: 'the file has a header but no data rows',
  all_rows_filtered: "no row is left to import: the mapping's row filter skipped all {rows} rows",
  duplicate_key: 'duplicate key: row {row} has the same {key}',
  unknown_dealer: 'unknown dealer code "{code}"',
  unknown_parent_dealer: 'unknown dealer code "{code}" (not in this file either)',
  unknown_product: 'unknown product SKU "{code}"',
  unknown_outlet: 'unknown outlet code "{code}"',
  unknown_region: 'unknown region code "{code}"',
  unknown_parent_region: 'unknown region code "{code}" (not in this file either)',
  unknown_campaign: 'unknown campaign code "{code}"',

  no_column: 'no column for {field}',

  file_empty: 'the file is empty',
  file_blank: 'the file holds no rows (it is blank)',
  sheet_empty: 'the sheet has no rows',
  old_xls:
    'is an old Excel .xls workbook (or a password-protected one), which Tierline does not read: save it as XLSX or CSV',
  not_csv_or_xlsx: 'is not a CSV or XLSX file (it is {format}); save it as CSV or XLSX',
  html_file:
    'is an HTML or XML file, not CSV or XLSX (a web page or an export saved as .xls?): open it in Excel and save it as XLSX or CSV',
  unknown_encoding: 'unknown encoding "{encoding}"; use utf-8, utf-16le, utf-16be, gbk or gb18030',
  declared_encoding_is_utf8:
    'is declared {encoding}, but it is UTF-8: set the encoding to utf-8 in the mapping, or leave it out to detect it',
  nul_bytes:
    'holds NUL bytes: it is a binary file, or UTF-16 without a byte-order mark (pass the encoding)',
  header_bad_encoding:
    'the header row holds bytes that are not valid {encoding}: the file is in another encoding (GBK/GB18030, as Chinese Excel saves CSV?): set the encoding in the mapping',
  record_too_long:
    'the record that starts on this row runs past {max} KiB: a quote that is never closed, or a binary file',
  quote_not_closed:
    'a quoted field that starts on this row is never closed (the file may be cut short)',
  quote_inside_field:
    'a quote inside a field that does not start with one (column {column}): put the whole field in quotes and double the quotes inside it',
  text_after_quote:
    'text after the closing quote of a field (column {column}): double the quotes inside a quoted field',
  csv_unreadable: 'cannot be read as CSV ({detail})',
  read_broke_off: 'could not be read to its end ({detail})',
  xlsx_too_many_cells: 'the workbook holds more than {max} cells; split it',
  xlsx_unreadable: 'is not a readable XLSX workbook ({detail})',
  xlsx_cut_short: 'is not a readable XLSX workbook: it is cut short',
  xlsx_bomb:
    '{entry} expands more than 100 times: a decompression bomb, or not a workbook that Excel wrote; refused',
  xlsx_too_big: 'the workbook expands to more than an import takes; split it',
  zip_not_xlsx: 'is a ZIP archive but not an XLSX workbook (it holds {entries})',
  no_sheet: 'the workbook has no sheet',
  sheet_not_found: 'has no sheet "{sheet}" (sheets: {sheets})',
  mapping_unknown_fields:
    'the mapping names fields {kind} does not have: {fields} (fields: {known})',
  mapping_column_needs_header:
    'the mapping names column "{column}" at {path}, but the file has no header row: give its position (1, 2, …)',
  mapping_column_not_found:
    'the mapping names column "{column}" at {path}, which the header does not have (columns: {columns})',
  mapping_many_sources:
    'the mapping gives {field} more than one of column, const and template: give one',
  mapping_fallback_without_column:
    'the mapping gives {field} a fallback column but no column to fall back from',
  template_unclosed:
    'the template of {field}, "{template}", has a { that is never closed: write {header name} or {{ for a brace',
  template_empty_placeholder:
    'the template of {field}, "{template}", has an empty {}: write {header name} or {{ for a brace',
  template_stray_brace:
    'the template of {field}, "{template}", has a } that closes nothing: write }} for a brace',
  template_no_column:
    'the template of {field}, "{template}", names no column: use const for a fixed value',
  missing_columns: 'no column for {fields}; the header has {columns}. Rename the column or map it',
  missing_columns_headerless:
    'the file has no header row, so the mapping must give the column of {fields}',
  missing_columns_delimiter:
    'no column for {fields}; the header is one column, "{header}": is the delimiter "{delimiter}"? Set delimiter in the mapping (or leave it out to detect it)',
  invalid_mapping: 'the mapping has {count} problems',
  mapping_not_json: 'the mapping is not JSON ({detail})',
  mapping_wrong_kind: 'the mapping is of {kind}, but the preview is of {expected}',
  mapping_and_mapping_json:
    'send either mapping (the name of a saved mapping) or mappingJson (an unsaved one), not both',
  unknown_mapping: 'there is no saved mapping "{name}"',
  mapping_other_kind: 'the saved mapping "{name}" is for {kind}, not {expected}',
  wrong_content_type:
    'send the data as the raw request body with Content-Type {expected} (not {actual})',
  bad_idempotency_key: 'the Idempotency-Key header must be 1 to 200 printable ASCII characters',
  idempotency_key_other_kind:
    'the Idempotency-Key was used for an import of {kind} (batch {batch}); use a new key for {expected}',
  file_too_large:
    'the file is larger than {max} MiB: split it, or import it with the CLI (tierline import)',
  upload_broke_off: 'the upload broke off',
  ingest_not_array:
    'the body must be a JSON array of records, or NDJSON with Content-Type application/x-ndjson',
  ingest_empty: 'the body holds no records',
  item_not_object: 'item {item} is not a JSON object of field names and values',
  item_unknown_field: 'item {item} has the unknown field "{field}"; {kind} has {known}',
  item_not_finite: 'item {item}: {field} is not a finite number',
  item_bad_value:
    'item {item}: {field} holds an object or a list of non-text values; send text, a number, true/false or a list of tags',
  item_empty: 'item {item} has no values',
  ndjson_bad_json: 'NDJSON line {line} (item {item}) is not valid JSON ({detail})',
};

/** Each language's message of every import reason code. */
export const importReasonMessages: Readonly<Record<ImportLocale, Catalog>> = {
  'zh-CN': zhCN,
  'en-US': enUS,
};

/** The header row of a downloaded issue report, in each language. */
export const importReportHeader: Readonly<Record<ImportLocale, readonly string[]>> = {
  'zh-CN': ['文件', '行', '列', '字段', '值', '原因'],
  'en-US': ['file', 'row', 'column', 'field', 'value', 'reason'],
};

/** Whether a value (e.g. an error's `details.reason` from a newer server) is a known code. */
export function isImportReasonCode(value: unknown): value is ImportReasonCode {
  return typeof value === 'string' && Object.hasOwn(zhCN, value);
}

/**
 * Fills `{name}` placeholders with `params`; a placeholder without a value is left as
 * written (the console's `translate` does the same).
 */
export function fillPlaceholders(
  template: string,
  params?: Readonly<Record<string, string | number>>,
): string {
  if (params === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * A reason code's message in `locale`, filled with its parameters, e.g.
 * `importReasonText('not_a_month', { value: '2026-13' }, 'zh-CN')` is
 * `不是月份：“2026-13”（请用 YYYY-MM）`.
 */
export function importReasonText(
  code: ImportReasonCode,
  params: Readonly<Record<string, string | number>> | undefined,
  locale: ImportLocale,
): string {
  return fillPlaceholders(importReasonMessages[locale][code], params ?? {});
}
