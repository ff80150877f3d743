/** UI languages of the console; zh-CN is the default. */
export type Locale = 'zh-CN' | 'en-US';

export const locales: readonly Locale[] = ['zh-CN', 'en-US'];

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en-US';
}

/**
 * The zh-CN dictionary defines the keys; every other language must translate all of them
 * (the `Record<MessageKey, string>` below makes a missing key a type error).
 * `{name}` placeholders are filled by `translate`.
 */
const zhCN = {
  'app.name': 'Tierline 经销商分级管理',
  'app.shortName': 'Tierline',
  'app.tenant': '租户',
  'app.demo': '演示数据',
  'app.language': '语言',
  'app.loadFailed': '加载失败',
  'app.retry': '重试',
  'app.notFound.title': '页面不存在',
  'app.notFound.text': '地址 {path} 没有对应的页面，请从左侧导航进入。',
  'app.backHome': '返回仪表盘',

  'nav.dashboard': '仪表盘',
  'nav.dealers': '经销商',
  'nav.policies': '分级策略',
  'nav.assessments': '评估审批',
  'nav.resources': '资源配置',
  'nav.alerts': '预警',
  'nav.imports': '数据导入',
  'nav.ledger': '履历验证',
  'nav.portal': '经销商门户',
  'nav.apiDocs': 'API 文档',

  'section.notBuilt': '「{section}」模块尚未建成',
  'section.notBuiltHint':
    '这里暂时没有任何数据。目前可以使用的是仪表盘和经销商列表、经销商 360 页面。',
  'section.goDealers': '查看经销商',
  'section.policies':
    '在这里设计分级方案与指标权重（手工设定、AHP 层次分析或熵权法），配置升降级规则，并在发布前用历史周期预演哪些经销商会升级或降级、预算会如何变化。',
  'section.assessments':
    '每次评估先生成草稿，复核时可附理由手工调整，再由另一人审批后发布；经销商的申诉也在这里处理并留痕。',
  'section.resources':
    '为每个等级配置资源包（返利、阶梯返利、市场费用、信用额度、优先供货），把预算池按比例精确到分地分配到各等级和经销商，并按等级查看资源投入回报。',
  'section.alerts':
    '连续未达标、连续下滑、异常波动、资质到期、近效期库存等预警会出现在这里，每条预警附带诊断报告、负责人和从打开到解决的处理状态。',
  'section.imports':
    '在这里上传 CSV 或 XLSX 文件并映射列，逐行校验并给出文件、行、列和原因的报告，支持试运行，重复导入不会产生重复数据。',
  'section.ledger':
    '每一次分级决定、调整、申诉结果和资源分配都写入防篡改的 Merkle 日志并生成签名检查点；审计人员可在这里用标准工具验证收录与一致性证明。',
  'section.portal':
    '经销商登录后只看到自己的等级、得分构成、距离下一等级还差什么、所获资源以及可独立验证的数字履历，看不到其他经销商的任何信息。',

  'dashboard.title': '仪表盘',
  'dashboard.subtitle': '渠道概况',
  'dashboard.totalDealers': '经销商总数',
  'dashboard.dataRange': '数据范围',
  'dashboard.dataRangeValue': '{from} 至 {to}',
  'dashboard.noData': '尚无数据',
  'dashboard.openDealers': '查看经销商列表',
  'dashboard.later':
    '等级分布、等级迁移桑基图、覆盖地图、KPI 趋势和预警看板将随分级与预警功能一起提供；在此之前，这里只展示已有的真实数据。',
  'dashboard.channelTypes': '渠道类型',
  'dashboard.tags': '标签',
  'dashboard.byStatus': '按状态',

  'status.active': '合作中',
  'status.probation': '考察期',
  'status.suspended': '已暂停',
  'status.terminated': '已终止',

  'chainLevel.1': '一级',
  'chainLevel.2': '二级',

  'dealers.title': '经销商',
  'dealers.search': '搜索经销商编码或名称',
  'dealers.filter.region': '地区',
  'dealers.filter.status': '状态',
  'dealers.filter.channelType': '渠道类型',
  'dealers.filter.chainLevel': '层级',
  'dealers.filter.tag': '标签',
  'dealers.filter.reset': '重置筛选',
  'dealers.col.code': '编码',
  'dealers.col.name': '名称',
  'dealers.col.chainLevel': '层级',
  'dealers.col.parent': '上级经销商',
  'dealers.col.channelType': '渠道类型',
  'dealers.col.region': '地区',
  'dealers.col.status': '状态',
  'dealers.col.onboardedOn': '签约日期',
  'dealers.col.sales12m': '近12个月销售额',
  'dealers.sales12mUntil': '截至 {month} 的近12个月',
  'dealers.total': '共 {total} 家经销商',
  'dealers.page': '第 {page} / {pages} 页',
  'dealers.prev': '上一页',
  'dealers.next': '下一页',
  'dealers.pageSize': '{size} 条/页',
  'dealers.empty': '没有符合条件的经销商',

  'dealer.back': '经销商列表',
  'dealer.notFound.title': '找不到该经销商',
  'dealer.notFound.text': '编号 {id} 没有对应的经销商，它可能从未存在或不属于当前租户。',
  'dealer.masterData': '主数据',
  'dealer.legalEntity': '法人主体',
  'dealer.chainLevel': '层级',
  'dealer.parent': '上级经销商',
  'dealer.channelType': '渠道类型',
  'dealer.region': '地区',
  'dealer.onboardedOn': '签约日期',
  'dealer.contacts': '联系人',
  'dealer.subDealers': '下级经销商',
  'dealer.outlets': '服务终端',
  'dealer.tags': '标签',
  'dealer.updatedAt': '最后更新',
  'dealer.none': '无',
  'dealer.count': '{count} 家',
  'dealer.kpi.sales12m': '近12个月销售额',
  'dealer.kpi.payments12m': '近12个月回款',
  'dealer.kpi.achievement12m': '近12个月目标达成率',
  'dealer.kpi.collection12m': '近12个月回款率',
  'dealer.kpi.collectionHint': '回款 ÷ 开票',
  'dealer.kpi.window': '{from} 至 {to}',
  'dealer.chart.title': '月度销售、回款与目标',
  'dealer.chart.sales': '销售额',
  'dealer.chart.payments': '回款',
  'dealer.chart.target': '目标',
  'dealer.chart.empty': '该经销商暂无月度数据',
  'dealer.categories.title': '近12个月品类构成',
  'dealer.categories.category': '品类',
  'dealer.categories.sales': '销售额',
  'dealer.categories.quantity': '数量',
  'dealer.categories.share': '占比',
  'dealer.categories.empty': '近12个月没有销售',
  'dealer.months.title': '最近月份明细',
  'dealer.months.month': '月份',
  'dealer.months.sales': '销售额',
  'dealer.months.payments': '回款',
  'dealer.months.target': '目标',
  'dealer.months.orders': '订单数',
  'dealer.months.skus': 'SKU 数',
  'dealer.months.outlets': '下单终端',
  'dealer.months.complaints': '投诉',
  'dealer.months.compliance': '合规事件',
  'dealer.months.nearExpiry': '近效期库存',
  'dealer.months.noTarget': '未设',
} as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

const enUS: Messages = {
  'app.name': 'Tierline Dealer Tiering',
  'app.shortName': 'Tierline',
  'app.tenant': 'Tenant',
  'app.demo': 'Demo data',
  'app.language': 'Language',
  'app.loadFailed': 'Could not load',
  'app.retry': 'Retry',
  'app.notFound.title': 'Page not found',
  'app.notFound.text': 'There is no page at {path}. Use the navigation on the left.',
  'app.backHome': 'Back to the dashboard',

  'nav.dashboard': 'Dashboard',
  'nav.dealers': 'Dealers',
  'nav.policies': 'Policies',
  'nav.assessments': 'Assessments',
  'nav.resources': 'Resources & allocation',
  'nav.alerts': 'Alerts',
  'nav.imports': 'Imports',
  'nav.ledger': 'Ledger verification',
  'nav.portal': 'Dealer portal',
  'nav.apiDocs': 'API docs',

  'section.notBuilt': '{section} is not built yet',
  'section.notBuiltHint':
    'There is no data here yet. What works today: the dashboard, the dealer list and the dealer 360 page.',
  'section.goDealers': 'Go to dealers',
  'section.policies':
    'Design tier schemes, metrics and weights (by hand, AHP or the entropy weight method) and promotion and demotion rules, then replay them on past periods to see which dealers would move and what the budget impact is before publishing.',
  'section.assessments':
    'Each assessment run is computed as a draft, reviewed with overrides that carry a reason, approved by a second person and published; dealer appeals are resolved here on record.',
  'section.resources':
    'Resource packages per tier (rebates, ladder rebates, market development funds, credit limits, priority supply), budget pools split across tiers and dealers to the fen, and the return on resources by tier.',
  'section.alerts':
    'Alerts for consecutive missed targets, declines, anomalies, licence expiry and near-expiry stock will appear here, each with a diagnostic report, an owner and a lifecycle from open to resolved.',
  'section.imports':
    'Upload CSV or XLSX files with column mapping, validate every row with a report naming file, row, column and reason, try a dry run, and re-import without creating duplicates.',
  'section.ledger':
    'Every tier decision, override, appeal outcome and allocation is appended to a tamper-evident Merkle log with signed checkpoints; auditors will verify inclusion and consistency proofs here with standard tools.',
  'section.portal':
    'A signed-in dealer sees its own tier, score breakdown, what it takes to reach the next tier, its resources and its verifiable history, and nothing about other dealers.',

  'dashboard.title': 'Dashboard',
  'dashboard.subtitle': 'Channel overview',
  'dashboard.totalDealers': 'Dealers',
  'dashboard.dataRange': 'Data range',
  'dashboard.dataRangeValue': '{from} to {to}',
  'dashboard.noData': 'No data yet',
  'dashboard.openDealers': 'Open the dealer list',
  'dashboard.later':
    'Tier distribution, the tier migration Sankey, the coverage map, KPI trends and the alert board arrive with the tiering and alerting features; until then this page shows only the real data that exists.',
  'dashboard.channelTypes': 'Channel types',
  'dashboard.tags': 'Tags',
  'dashboard.byStatus': 'By status',

  'status.active': 'Active',
  'status.probation': 'Probation',
  'status.suspended': 'Suspended',
  'status.terminated': 'Terminated',

  'chainLevel.1': 'Level 1',
  'chainLevel.2': 'Level 2',

  'dealers.title': 'Dealers',
  'dealers.search': 'Search dealer code or name',
  'dealers.filter.region': 'Region',
  'dealers.filter.status': 'Status',
  'dealers.filter.channelType': 'Channel type',
  'dealers.filter.chainLevel': 'Level',
  'dealers.filter.tag': 'Tag',
  'dealers.filter.reset': 'Reset filters',
  'dealers.col.code': 'Code',
  'dealers.col.name': 'Name',
  'dealers.col.chainLevel': 'Level',
  'dealers.col.parent': 'Parent dealer',
  'dealers.col.channelType': 'Channel type',
  'dealers.col.region': 'Region',
  'dealers.col.status': 'Status',
  'dealers.col.onboardedOn': 'Onboarded',
  'dealers.col.sales12m': 'Sales, last 12 months',
  'dealers.sales12mUntil': 'Trailing 12 months up to {month}',
  'dealers.total': '{total} dealers',
  'dealers.page': 'Page {page} of {pages}',
  'dealers.prev': 'Previous',
  'dealers.next': 'Next',
  'dealers.pageSize': '{size} / page',
  'dealers.empty': 'No dealer matches these filters',

  'dealer.back': 'Dealers',
  'dealer.notFound.title': 'Dealer not found',
  'dealer.notFound.text':
    'There is no dealer with id {id}: it never existed or belongs to another tenant.',
  'dealer.masterData': 'Master data',
  'dealer.legalEntity': 'Legal entity',
  'dealer.chainLevel': 'Level',
  'dealer.parent': 'Parent dealer',
  'dealer.channelType': 'Channel type',
  'dealer.region': 'Region',
  'dealer.onboardedOn': 'Onboarded',
  'dealer.contacts': 'Contacts',
  'dealer.subDealers': 'Sub-dealers',
  'dealer.outlets': 'Outlets served',
  'dealer.tags': 'Tags',
  'dealer.updatedAt': 'Last updated',
  'dealer.none': 'None',
  'dealer.count': '{count}',
  'dealer.kpi.sales12m': 'Sales, last 12 months',
  'dealer.kpi.payments12m': 'Payments, last 12 months',
  'dealer.kpi.achievement12m': 'Target achievement, last 12 months',
  'dealer.kpi.collection12m': 'Collection rate, last 12 months',
  'dealer.kpi.collectionHint': 'Payments ÷ invoices',
  'dealer.kpi.window': '{from} to {to}',
  'dealer.chart.title': 'Monthly sales, payments and target',
  'dealer.chart.sales': 'Sales',
  'dealer.chart.payments': 'Payments',
  'dealer.chart.target': 'Target',
  'dealer.chart.empty': 'This dealer has no monthly data yet',
  'dealer.categories.title': 'Sales by category, last 12 months',
  'dealer.categories.category': 'Category',
  'dealer.categories.sales': 'Sales',
  'dealer.categories.quantity': 'Quantity',
  'dealer.categories.share': 'Share',
  'dealer.categories.empty': 'No sales in the last 12 months',
  'dealer.months.title': 'Latest months',
  'dealer.months.month': 'Month',
  'dealer.months.sales': 'Sales',
  'dealer.months.payments': 'Payments',
  'dealer.months.target': 'Target',
  'dealer.months.orders': 'Orders',
  'dealer.months.skus': 'SKUs',
  'dealer.months.outlets': 'Ordering outlets',
  'dealer.months.complaints': 'Complaints',
  'dealer.months.compliance': 'Compliance events',
  'dealer.months.nearExpiry': 'Near-expiry stock',
  'dealer.months.noTarget': 'None set',
};

export const messages: Record<Locale, Messages> = { 'zh-CN': zhCN, 'en-US': enUS };

/** Fills `{name}` placeholders; a placeholder without a value is left as written. */
export function translate(
  locale: Locale,
  key: MessageKey,
  vars?: Readonly<Record<string, string | number>>,
): string {
  const template = messages[locale][key];
  if (vars === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}
