/** Texts of the alert rule form (rule-form.tsx). Spread into `i18n/messages.ts`. */
export const zh = {
  'alerts.rules.editor.mode.form': '表单',
  'alerts.rules.editor.mode.json': 'JSON',
  'alerts.rules.editor.formUnavailable':
    '该文档无法用表单编辑（不是对象或规则类型未知），请在 JSON 中修改。',
  'alerts.rules.form.code': '规则编码',
  'alerts.rules.form.codeHelp': '小写字母、数字和下划线，以字母开头；保存后不可更改。',
  'alerts.rules.form.name': '名称',
  'alerts.rules.form.description': '说明',
  'alerts.rules.form.kind': '规则类型',
  'alerts.rules.form.severity': '严重程度',
  'alerts.rules.form.enabled': '启用',
  'alerts.rules.form.params': '参数',
  'alerts.rules.form.unset': '（默认）',
  'alerts.rules.form.yuan': '元',
  'alerts.rules.kind.missed_target': '连续未达成目标',
  'alerts.rules.kind.decline': '连续下滑',
  'alerts.rules.kind.threshold': '阈值',
  'alerts.rules.kind.anomaly': '异常下跌（对比自身历史）',
  'alerts.rules.kind.licence_expiry': '资质到期',
  'alerts.rules.kind.near_expiry_inventory': '临期库存',
  'alerts.rules.kind.stockout_risk': '断货风险',
  'alerts.rules.kind.collection_overdue': '回款逾期',
};

export const en: Record<keyof typeof zh, string> = {
  'alerts.rules.editor.mode.form': 'Form',
  'alerts.rules.editor.mode.json': 'JSON',
  'alerts.rules.editor.formUnavailable':
    'This document cannot be edited in the form (not an object, or an unknown kind); edit it as JSON.',
  'alerts.rules.form.code': 'Rule code',
  'alerts.rules.form.codeHelp':
    'Lower-case letters, digits and _, starting with a letter; fixed once saved.',
  'alerts.rules.form.name': 'Name',
  'alerts.rules.form.description': 'Description',
  'alerts.rules.form.kind': 'Kind',
  'alerts.rules.form.severity': 'Severity',
  'alerts.rules.form.enabled': 'Enabled',
  'alerts.rules.form.params': 'Parameters',
  'alerts.rules.form.unset': '(default)',
  'alerts.rules.form.yuan': 'yuan',
  'alerts.rules.kind.missed_target': 'Missed target, months running',
  'alerts.rules.kind.decline': 'Decline, months running',
  'alerts.rules.kind.threshold': 'Threshold',
  'alerts.rules.kind.anomaly': 'Drop against own history',
  'alerts.rules.kind.licence_expiry': 'Licence expiry',
  'alerts.rules.kind.near_expiry_inventory': 'Near-expiry stock',
  'alerts.rules.kind.stockout_risk': 'Stock-out risk',
  'alerts.rules.kind.collection_overdue': 'Overdue collection',
};

type Text = { label: string; help?: string };

/**
 * Label and help of each parameter, per language: `kind.key` where a key means something else in
 * another kind (`days`, `baseline`), else `key`. Unknown ones show the schema's own description.
 */
export const PARAM_TEXT: Record<'zh-CN' | 'en-US', Record<string, Text>> = {
  'zh-CN': {
    periods: { label: '连续月数' },
    below: { label: '单月达成率低于', help: '小数：0.85 = 85%' },
    overall: { label: '期间合计达成率低于', help: '整段合计也须低于此比例（小数）' },
    'missed_target.seasonal': {
      label: '按渠道达成率折算目标',
      help: '全渠道普遍未达标的月份（如春节），目标按渠道达成率折算',
    },
    seasonal: { label: '季节调整', help: '先除以渠道季节指数，春节前后的正常波动不算下滑' },
    measure: { label: '指标' },
    percent: { label: '下降幅度（%）', help: '20 = 下降 20% 以上' },
    compare: { label: '对比方式' },
    'compare.mom': { label: '环比（与前一窗口）' },
    'compare.yoy': { label: '同比（与去年同期）' },
    'compare.baseline': { label: '与自身前期平均水平' },
    window: { label: '窗口月数', help: '每个点汇总的月数（3 = 滚动季度）' },
    'decline.baseline': { label: '基准月数', help: '连续下滑之前多少个月的平均值作为自身水平' },
    swing: {
      label: '超出平时波动倍数',
      help: '跌幅还须超过该经销商平时月度波动的倍数；0 = 只看百分比',
    },
    op: { label: '比较' },
    value: { label: '阈值', help: '比率用小数（0.8 = 80%）' },
    k: { label: '偏离标准差倍数', help: '低于预期多少个稳健标准差' },
    'anomaly.baseline': { label: '历史月数', help: '确定自身水平的历史月数' },
    minDrop: { label: '最小跌幅（%）', help: '同时至少低于预期的百分比' },
    'licence_expiry.days': { label: '到期前天数', help: '在此天数内到期即预警；已过期为严重' },
    share: { label: '临期占比', help: '临期库存占月末库存金额的比例（小数）' },
    minValue: { label: '最小临期金额' },
    'stockout_risk.days': { label: '可售天数低于', help: '库存 ÷ 近30天日均销量' },
    minQuantity: { label: '近30天最少销量', help: '只看近30天至少卖出这么多的SKU' },
    'collection_overdue.days': { label: '逾期天数超过' },
    minAmount: { label: '最小未回款金额' },
  },
  'en-US': {
    periods: { label: 'Months running' },
    below: { label: 'Monthly achievement below', help: 'A decimal: 0.85 = 85 %' },
    overall: { label: 'Achievement over the run below', help: 'The run as a whole, a decimal' },
    'missed_target.seasonal': {
      label: 'Scale targets by the channel',
      help: 'In a month the whole channel missed (a holiday), targets count × its achievement',
    },
    seasonal: {
      label: 'Seasonally adjusted',
      help: 'Divide by the channel’s seasonal index first: the Spring Festival is not a fall',
    },
    measure: { label: 'Measure' },
    percent: { label: 'Fall (%)', help: '20 = down 20 % or more' },
    compare: { label: 'Compare with' },
    'compare.mom': { label: 'The window before' },
    'compare.yoy': { label: 'A year earlier' },
    'compare.baseline': { label: 'The dealer’s own level before' },
    window: { label: 'Months per point', help: 'Months summed per point (3 = rolling quarters)' },
    'decline.baseline': {
      label: 'Months of level',
      help: 'The mean of this many months before the run is the dealer’s level',
    },
    swing: {
      label: 'Beyond usual swing ×',
      help: 'The fall must also exceed this many times the dealer’s usual monthly swing; 0 = percent alone',
    },
    op: { label: 'Comparison' },
    value: { label: 'Value', help: 'Ratios as decimals (0.8 = 80 %)' },
    k: { label: 'Standard deviations', help: 'Robust standard deviations below expected' },
    'anomaly.baseline': { label: 'Months of history', help: 'The history that sets the level' },
    minDrop: { label: 'Least shortfall (%)', help: 'And at least this far below expected' },
    'licence_expiry.days': {
      label: 'Days before expiry',
      help: 'Expires within this many days; expired is critical',
    },
    share: { label: 'Near-expiry share', help: 'Of month-end stock value, a decimal' },
    minValue: { label: 'Least near-expiry value' },
    'stockout_risk.days': {
      label: 'Days of cover below',
      help: 'Stock ÷ daily sales of the last 30 days',
    },
    minQuantity: {
      label: 'Least units sold in 30 days',
      help: 'Only SKUs that sold at least this many',
    },
    'collection_overdue.days': { label: 'Days past due over' },
    minAmount: { label: 'Least unpaid amount' },
  },
};

/** The label and help of a parameter (or of an option, `compare.mom`) in a language. */
export function paramText(
  locale: 'zh-CN' | 'en-US',
  kind: string,
  key: string,
  fallback?: string,
): Text {
  const texts = PARAM_TEXT[locale];
  return (
    texts[`${kind}.${key}`] ??
    texts[key] ?? { label: key, ...(fallback === undefined ? {} : { help: fallback }) }
  );
}
