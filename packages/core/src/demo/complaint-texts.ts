import type { Random } from './random.js';

/**
 * Complaint and market-feedback topics with their Chinese labels. The generator records the
 * true topic of every text, so a later classifier can be scored against it.
 */
export const COMPLAINT_TOPICS = {
  logistics_delay: '物流延迟',
  product_quality: '产品质量',
  pricing: '价格',
  service_attitude: '服务态度',
  packaging_damage: '包装破损',
  near_expiry: '临期产品',
  stock_out: '断货缺货',
} as const;

/** A key of {@link COMPLAINT_TOPICS}. */
export type ComplaintTopic = keyof typeof COMPLAINT_TOPICS;

// Slots: {p} product, {o} outlet, {d} days, {n} a count, {x} a percentage.
// prettier-ignore
const TEMPLATES: Readonly<Record<ComplaintTopic, readonly string[]>> = {
  logistics_delay: [
    '{o}反映{p}这批货比约定晚了{d}天才到，店里断了好几天货。',
    '下单后等了{d}天还没送到，配送员电话也打不通。',
    '送货时间一拖再拖，{o}已经两次错过周末促销。',
    '仓库说车排不过来，{p}延迟{d}天发货，客户很不满意。',
    '物流太慢，说好次日达，结果第{d}天才到。',
    '节前订的{p}到现在还在路上，门店都快空架了。',
  ],
  product_quality: [
    '{o}的顾客反映{p}口感和以前不一样，怀疑是批次问题。',
    '{p}开箱发现有{n}件漏液或胀袋，密封不严。',
    '有消费者投诉{p}里有异物，要求退货并赔偿。',
    '{p}出现胀包现象，整箱都不敢卖了。',
    '这批{p}和以前颜色不一样，顾客不敢买。',
    '顾客买回去的{p}有异味，已经在业主群里传开了。',
  ],
  pricing: [
    '隔壁区域有人以低于出厂价{x}%的价格甩卖{p}，我们的货卖不动了。',
    '{o}说别家进价比我们低，要求我们降价，不然就换供应商。',
    '同一款{p}，线上团购价比我们的批发价还低，终端意见很大。',
    '促销政策变动太频繁，{o}觉得价格体系很乱。',
    '有二批商跨区低价冲货，{p}的市场价已经被打穿了。',
    '返利迟迟没有兑现，实际拿货价比说好的高了{x}%。',
  ],
  service_attitude: [
    '业务员态度很差，{o}提的问题一直没人理。',
    '打了{n}次客服电话都没有人回复，问题拖了{d}天。',
    '新来的业务员不熟悉产品，{o}问什么都答不上来。',
    '上门拜访越来越少，{o}说已经一个多月没见到人了。',
    '退换货流程太繁琐，对接人还推来推去。',
    '{o}反映配送师傅说话冲，卸货也不帮忙摆。',
  ],
  packaging_damage: [
    '到货时{n}箱{p}外箱压坏，里面的瓶子也有破损。',
    '{p}的包装膜破了，好几提散开，没法上架。',
    '运输途中被雨淋湿，纸箱变形发霉，{o}拒收了。',
    '开箱发现{p}外包装凹陷变形，顾客都挑着不买。',
    '礼盒外包装磨损严重，节前根本卖不出去。',
  ],
  near_expiry: [
    '收到的{p}离过期只剩{d}天，{o}不肯收货。',
    '仓库里还有一批{p}快到期了，希望厂家帮忙处理临期品。',
    '到货的生产日期太老，{p}只剩三分之一保质期。',
    '{o}货架上的{p}临期了，要求我们调换新批次。',
    '经销商压货太多，{p}放到临期才往终端塞，店主意见很大。',
  ],
  stock_out: [
    '{p}连续{d}天断货，{o}只好先卖竞品。',
    '热销的{p}一直缺货，订单报上去也不发。',
    '旺季备货不足，{o}的{p}已经空架{d}天了。',
    '新品{p}说好首批配货，到现在一箱都没有。',
  ],
};

// prettier-ignore
const OPENERS = ['', '', '终端反馈：', '客户来电：', '业务员转述：', '店主投诉：', '市场走访发现：'];
// prettier-ignore
const CLOSERS = ['', '', '希望尽快处理。', '请厂家给个说法。', '已经不是第一次了。', '麻烦尽快回复。', '再这样下去客户要流失了。'];

/**
 * A complaint text for `topic`, filling the product and outlet names in. Sentences read like
 * what a channel manager types into a CRM ticket.
 */
export function complaintText(
  rng: Random,
  topic: ComplaintTopic,
  product: string,
  outlet: string,
): string {
  const body = rng
    .pick(TEMPLATES[topic])
    .replace('{p}', product)
    .replace('{o}', outlet)
    .replace('{d}', String(rng.int(2, 15)))
    .replace('{n}', String(rng.int(2, 12)))
    .replace('{x}', String(rng.int(5, 20)));
  return rng.pick(OPENERS) + body + rng.pick(CLOSERS);
}
