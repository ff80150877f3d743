import type { MetricUnit } from '@tierline/contract';

/**
 * The library's built-in metrics as the console shows them: names in both languages and units.
 * The catalogue (`GET /api/v1/policies/catalogue`) is the source and wins wherever the caller
 * may read it; this copy serves those who may not — dealer users in the portal — so that a
 * failed gate reads "违规次数须为 0", not "compliance_events 须为 0". The e2e test checks it
 * against the catalogue.
 */
export const builtInMetrics: Readonly<
  Record<string, { zh: string; en: string; unit: MetricUnit; direction: 'higher' | 'lower' }>
> = {
  sales_amount: { zh: '销售额', en: 'Sales', unit: 'money', direction: 'higher' },
  sales_growth_mom: {
    zh: '销售环比增长',
    en: 'Sales growth on previous period',
    unit: 'percent',
    direction: 'higher',
  },
  sales_growth_yoy: {
    zh: '销售同比增长',
    en: 'Sales growth year on year',
    unit: 'percent',
    direction: 'higher',
  },
  target_achievement: {
    zh: '目标达成率',
    en: 'Target achievement',
    unit: 'percent',
    direction: 'higher',
  },
  collection_rate: { zh: '回款率', en: 'Collection rate', unit: 'percent', direction: 'higher' },
  days_sales_outstanding: {
    zh: '应收账款周转天数',
    en: 'Days sales outstanding',
    unit: 'days',
    direction: 'lower',
  },
  outlet_coverage: {
    zh: '终端覆盖率',
    en: 'Outlet coverage',
    unit: 'percent',
    direction: 'higher',
  },
  active_outlets: { zh: '活跃终端数', en: 'Active outlets', unit: 'count', direction: 'higher' },
  region_coverage: { zh: '区域覆盖', en: 'Region coverage', unit: 'count', direction: 'higher' },
  sku_breadth: { zh: 'SKU 宽度', en: 'SKU breadth', unit: 'count', direction: 'higher' },
  new_product_rate: {
    zh: '新品推广率',
    en: 'New-product push rate',
    unit: 'percent',
    direction: 'higher',
  },
  complaint_rate: { zh: '客诉率', en: 'Complaint rate', unit: 'percent', direction: 'lower' },
  compliance_score: { zh: '合规分', en: 'Compliance score', unit: 'points', direction: 'higher' },
  compliance_events: { zh: '违规次数', en: 'Compliance events', unit: 'count', direction: 'lower' },
  qualification_validity: {
    zh: '资质有效率',
    en: 'Qualification validity',
    unit: 'percent',
    direction: 'higher',
  },
  near_expiry_ratio: {
    zh: '临期库存占比',
    en: 'Near-expiry stock ratio',
    unit: 'percent',
    direction: 'lower',
  },
  batch_traceability: {
    zh: '批号追溯完整率',
    en: 'Batch traceability',
    unit: 'percent',
    direction: 'higher',
  },
  inventory_turnover: {
    zh: '库存周转',
    en: 'Inventory turnover',
    unit: 'times',
    direction: 'higher',
  },
  campaign_execution: {
    zh: '活动执行率',
    en: 'Campaign execution rate',
    unit: 'percent',
    direction: 'higher',
  },
};
