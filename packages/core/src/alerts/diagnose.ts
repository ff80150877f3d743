import { COMPLAINT_TOPICS } from '../demo/complaint-texts.js';
import { both, formatMoney, formatPercent } from './text.js';
import type { AlertContext, Bilingual, DiagnosisWindows } from './types.js';

/** Sales (minor units) and units of something over a window. */
export interface SalesCell {
  readonly sales: number;
  readonly quantity: number;
}

/** What the diagnosis of one dealer's sales condition is computed from (all sums over windows). */
export interface DiagnosisInput {
  readonly windows: DiagnosisWindows;
  /** Sales per product category in each window; together they are the dealer's sales. */
  readonly categories: readonly {
    readonly category: string;
    readonly current: SalesCell;
    readonly baseline: SalesCell;
  }[];
  /** Sales per outlet (code null: lines without an outlet, the dealer's own stock). */
  readonly outlets: readonly {
    readonly code: string | null;
    readonly name: string | null;
    readonly current: number;
    readonly baseline: number;
  }[];
  /** The other dealers of the dealer's province (or region), same windows. */
  readonly region: {
    readonly code: string;
    readonly name: string;
    readonly current: number;
    readonly baseline: number;
  } | null;
  readonly complaints: {
    readonly current: number;
    readonly baseline: number;
    /** Topics of the current window's complaints, most frequent first. */
    readonly topics: readonly { readonly topic: string; readonly count: number }[];
  };
  /** Month-end stock of the last month of the current window (list-price value). */
  readonly stock: { readonly value: number; readonly nearExpiryValue: number } | null;
  /** Invoiced and paid in the current window, and what is overdue on the evaluation day. */
  readonly payments: { readonly invoiced: number; readonly paid: number; readonly overdue: number };
  readonly visits: { readonly current: number; readonly baseline: number };
  /** Outlets that ordered, summed over the window's months. */
  readonly orderingOutlets: { readonly current: number; readonly baseline: number };
}

/** One category's part of the change. */
export interface CategoryDriver {
  readonly category: string;
  readonly current: number;
  readonly baseline: number;
  readonly change: number;
  /** change / baseline, null when the baseline is 0. */
  readonly changePercent: number | null;
  /** This category's share of the total change (positive: same direction as the total). */
  readonly share: number | null;
  readonly currentQuantity: number;
  readonly baselineQuantity: number;
}

/** One outlet's part of the change; `others` sums the outlets not listed. */
export interface OutletDriver {
  readonly code: string | null;
  readonly name: string | null;
  readonly kind: 'outlet' | 'no_outlet' | 'others';
  readonly current: number;
  readonly baseline: number;
  readonly change: number;
  /** Ordered in the baseline window and not at all in the current one. */
  readonly lost: boolean;
  readonly share: number | null;
}

/**
 * The diagnostic report of a sales alert. Every amount is minor units and reconciles: categories
 * add up to the totals, outlets (with `no_outlet` and `others`) too, and volume + price + mix is
 * exactly the change.
 */
export interface AlertDiagnosis {
  readonly windows: DiagnosisWindows;
  readonly current: SalesCell;
  readonly baseline: SalesCell;
  readonly change: number;
  readonly changePercent: number | null;
  /** Price-volume-mix over categories (docs/alerts.md): volume + price + mix = change. */
  readonly decomposition: { readonly volume: number; readonly price: number; readonly mix: number };
  /** Every category, largest fall first. */
  readonly categories: readonly CategoryDriver[];
  /** The 10 outlets that moved most, then the rest as one line. */
  readonly outlets: readonly OutletDriver[];
  readonly lostOutlets: number;
  readonly region: {
    readonly code: string;
    readonly name: string;
    readonly current: number;
    readonly baseline: number;
    readonly changePercent: number | null;
  } | null;
  readonly signals: {
    readonly complaints: DiagnosisInput['complaints'];
    readonly stock:
      (NonNullable<DiagnosisInput['stock']> & { readonly nearExpiryShare: number | null }) | null;
    readonly payments: DiagnosisInput['payments'] & { readonly collectionRatio: number | null };
    readonly visits: DiagnosisInput['visits'];
    readonly orderingOutlets: DiagnosisInput['orderingOutlets'];
  };
  /** What the numbers say, sentence by sentence. */
  readonly findings: readonly Bilingual[];
  /** What to do about it. */
  readonly actions: readonly Bilingual[];
}

const OUTLETS_LISTED = 10;

/**
 * Price-volume-mix decomposition of a sales change over categories, exact in minor units.
 * With Q total units, R sales, q_c, p_c = r_c / q_c per category, 0 = baseline, 1 = current:
 * volume = Q1·(R0/Q0) − R0; mix = Σ q1_c·p0_c − Q1·(R0/Q0); price = R1 − Σ q1_c·p0_c.
 * They add up to R1 − R0 by construction; volume and mix are rounded to whole minor units and
 * price takes the remainder, so the sum stays exact. A category sold only in the current window
 * has no baseline price: p0 = p1 (its sales count as mix, not price). With no baseline units
 * everything is volume.
 *
 * @example decompose([{ current: {sales: 1100, quantity: 10}, baseline: {sales: 1000, quantity: 10} }])
 * // { volume: 0, mix: 0, price: 100 }
 */
export function decompose(
  categories: readonly { readonly current: SalesCell; readonly baseline: SalesCell }[],
): { volume: number; price: number; mix: number } {
  let r0 = 0;
  let r1 = 0;
  let q0 = 0;
  let q1 = 0;
  for (const c of categories) {
    r0 += c.baseline.sales;
    r1 += c.current.sales;
    q0 += c.baseline.quantity;
    q1 += c.current.quantity;
  }
  const change = r1 - r0;
  if (q0 <= 0) return { volume: change, price: 0, mix: 0 };
  const average = r0 / q0;
  let atBaselinePrices = 0;
  for (const c of categories) {
    const p0 =
      c.baseline.quantity > 0
        ? c.baseline.sales / c.baseline.quantity
        : c.current.quantity > 0
          ? c.current.sales / c.current.quantity
          : 0;
    atBaselinePrices += c.current.quantity * p0;
  }
  const volume = Math.round(q1 * average - r0);
  const mix = Math.round(atBaselinePrices - q1 * average);
  return { volume, price: change - volume - mix, mix };
}

const ratioOf = (a: number, b: number): number | null => (b !== 0 ? a / b : null);

/**
 * The diagnostic report of a sales condition: which categories and outlets drove the change,
 * how the dealer's province fared, volume vs price vs mix, and related complaint, stock,
 * payment and visit signals; with findings and suggested actions in zh-CN and English.
 */
export function diagnoseSales(
  input: DiagnosisInput,
  ctx: Pick<AlertContext, 'currency'>,
): AlertDiagnosis {
  const money = (v: number) => formatMoney(v, ctx.currency);
  const current = { sales: 0, quantity: 0 };
  const baseline = { sales: 0, quantity: 0 };
  for (const c of input.categories) {
    current.sales += c.current.sales;
    current.quantity += c.current.quantity;
    baseline.sales += c.baseline.sales;
    baseline.quantity += c.baseline.quantity;
  }
  const change = current.sales - baseline.sales;
  const changePercent = ratioOf(change, baseline.sales);
  const shareOf = (part: number) => (change !== 0 ? part / change : null);

  const categories: CategoryDriver[] = input.categories
    .map((c) => ({
      category: c.category,
      current: c.current.sales,
      baseline: c.baseline.sales,
      change: c.current.sales - c.baseline.sales,
      changePercent: ratioOf(c.current.sales - c.baseline.sales, c.baseline.sales),
      share: shareOf(c.current.sales - c.baseline.sales),
      currentQuantity: c.current.quantity,
      baselineQuantity: c.baseline.quantity,
    }))
    .sort((a, b) => a.change - b.change || a.category.localeCompare(b.category));

  const all: OutletDriver[] = input.outlets
    .map((o) => ({
      code: o.code,
      name: o.name,
      kind: o.code === null ? ('no_outlet' as const) : ('outlet' as const),
      current: o.current,
      baseline: o.baseline,
      change: o.current - o.baseline,
      lost: o.code !== null && o.baseline > 0 && o.current === 0,
      share: shareOf(o.current - o.baseline),
    }))
    // The direction of the total first: for a fall, the outlets that fell most.
    .sort(
      (a, b) =>
        (change <= 0 ? a.change - b.change : b.change - a.change) ||
        (a.code ?? '').localeCompare(b.code ?? ''),
    );
  const listed = all.filter((o) => o.kind === 'no_outlet' || all.indexOf(o) < OUTLETS_LISTED);
  const rest = all.filter((o) => !listed.includes(o));
  const outlets: OutletDriver[] = [...listed];
  if (rest.length > 0) {
    const cur = rest.reduce((s, o) => s + o.current, 0);
    const base = rest.reduce((s, o) => s + o.baseline, 0);
    outlets.push({
      code: null,
      name: `${rest.length}`,
      kind: 'others',
      current: cur,
      baseline: base,
      change: cur - base,
      lost: false,
      share: shareOf(cur - base),
    });
  }
  const lost = all.filter((o) => o.lost);

  const region = input.region
    ? {
        ...input.region,
        changePercent: ratioOf(input.region.current - input.region.baseline, input.region.baseline),
      }
    : null;
  const decomposition = decompose(input.categories);
  const stock = input.stock
    ? { ...input.stock, nearExpiryShare: ratioOf(input.stock.nearExpiryValue, input.stock.value) }
    : null;
  const payments = {
    ...input.payments,
    collectionRatio: ratioOf(input.payments.paid, input.payments.invoiced),
  };

  const findings: Bilingual[] = [];
  const actions: Bilingual[] = [];
  const falling = change < 0;
  const cur = input.windows.current;
  const base = input.windows.baseline;
  const span = (months: readonly string[]) =>
    months.length === 1
      ? (months[0] ?? '')
      : `${months[0] ?? ''}~${months[months.length - 1] ?? ''}`;
  findings.push(
    both(
      `${span(cur)} 销售额 ${money(current.sales)}，对比 ${span(base)} 的 ${money(baseline.sales)}，变化 ${money(change)}${changePercent === null ? '' : `（${formatPercent(changePercent)}）`}。`,
      `Sales ${span(cur)}: ${money(current.sales)} against ${money(baseline.sales)} in ${span(base)}, a change of ${money(change)}${changePercent === null ? '' : ` (${formatPercent(changePercent)})`}.`,
    ),
  );

  // Categories that carry at least half of the change between them, biggest first.
  const movers: CategoryDriver[] = [];
  let covered = 0;
  for (const c of categories) {
    if (change === 0 || (falling ? c.change >= 0 : c.change <= 0)) continue;
    movers.push(c);
    covered += c.share ?? 0;
    if (covered >= 0.5 || movers.length >= 2) break;
  }
  if (!falling) movers.sort((a, b) => b.change - a.change);
  if (movers.length > 0 && change !== 0) {
    const zh = movers
      .map((c) => `${c.category}（${money(c.change)}，占变化的${formatPercent(c.share ?? 0)}）`)
      .join('、');
    const en = movers
      .map(
        (c) => `${c.category} (${money(c.change)}, ${formatPercent(c.share ?? 0)} of the change)`,
      )
      .join(', ');
    findings.push(both(`变化主要来自品类：${zh}。`, `The change comes mainly from: ${en}.`));
    if (falling) {
      const names = movers.map((c) => c.category).join('、');
      actions.push(
        both(
          `排查${names}品类：是否断货、价格或竞品冲击，必要时安排专项促销。`,
          `Look into ${movers.map((c) => c.category).join(', ')}: stock-outs, prices or competitors; plan a targeted promotion if needed.`,
        ),
      );
    }
  }

  if (lost.length > 0) {
    const lostSales = lost.reduce((s, o) => s + o.baseline, 0);
    const codes = lost.slice(0, 5).map((o) => `${o.code ?? ''}${o.name ? ` ${o.name}` : ''}`);
    findings.push(
      both(
        `${lost.length} 个终端在对比期有进货、本期停止进货：${codes.join('、')}${lost.length > 5 ? ' 等' : ''}（对比期合计 ${money(lostSales)}）。`,
        `${lost.length} outlet(s) that ordered in ${span(base)} stopped: ${codes.join(', ')}${lost.length > 5 ? ', …' : ''} (${money(lostSales)} in ${span(base)}).`,
      ),
    );
    actions.push(
      both(
        `安排业务员拜访停止进货的终端（${lost
          .slice(0, 5)
          .map((o) => o.code)
          .join('、')}），了解原因并制定挽回计划。`,
        `Visit the outlets that stopped ordering (${lost
          .slice(0, 5)
          .map((o) => o.code)
          .join(', ')}) to learn why and win them back.`,
      ),
    );
  } else {
    const top = all.find((o) => o.kind === 'outlet' && (falling ? o.change < 0 : o.change > 0));
    if (top && change !== 0 && Math.abs(top.share ?? 0) >= 0.2) {
      findings.push(
        both(
          `终端 ${top.code ?? ''}${top.name ? ` ${top.name}` : ''} 变化 ${money(top.change)}，占变化的${formatPercent(top.share ?? 0)}。`,
          `Outlet ${top.code ?? ''}${top.name ? ` ${top.name}` : ''} changed by ${money(top.change)}, ${formatPercent(top.share ?? 0)} of the change.`,
        ),
      );
    }
  }

  if (region && region.changePercent !== null && changePercent !== null) {
    const dealerDown = changePercent;
    const regionDown = region.changePercent;
    if (falling && regionDown <= -0.1) {
      findings.push(
        both(
          `同区域（${region.name}）其他经销商同期也下降 ${formatPercent(regionDown)}，可能是区域市场因素。`,
          `The other dealers of ${region.name} fell too (${formatPercent(regionDown)}): the market may be the cause.`,
        ),
      );
      actions.push(
        both(
          `与区域经理复盘${region.name}市场（竞品、政策、天气等）因素。`,
          `Review the ${region.name} market (competitors, policy, weather) with the regional manager.`,
        ),
      );
    } else if (falling) {
      findings.push(
        both(
          `同区域（${region.name}）其他经销商同期变化 ${formatPercent(regionDown)}，而该经销商变化 ${formatPercent(dealerDown)}：下滑是该经销商自身的问题。`,
          `The other dealers of ${region.name} changed by ${formatPercent(regionDown)} against this dealer's ${formatPercent(dealerDown)}: the fall is the dealer's own.`,
        ),
      );
      actions.push(
        both(
          '与经销商负责人面谈，了解经营、资金和团队变化。',
          "Meet the dealer's owner about changes in business, cash and staff.",
        ),
      );
    } else {
      findings.push(
        both(
          `同区域（${region.name}）其他经销商同期变化 ${formatPercent(regionDown)}。`,
          `The other dealers of ${region.name} changed by ${formatPercent(regionDown)}.`,
        ),
      );
    }
  }

  if (change !== 0) {
    const { volume, price, mix } = decomposition;
    findings.push(
      both(
        `量价结构分解：销量影响 ${money(volume)}，价格影响 ${money(price)}，品类结构影响 ${money(mix)}。`,
        `Volume, price, mix: volume ${money(volume)}, price ${money(price)}, mix ${money(mix)}.`,
      ),
    );
    if (falling && price < 0 && -price >= 0.25 * -change) {
      actions.push(
        both(
          '核查价格执行与折扣力度，防止乱价和过度让利。',
          'Check prices and discounts: the price effect is a large part of the fall.',
        ),
      );
    }
  }

  const c = input.complaints;
  if (c.current > 0 && c.current > c.baseline) {
    const topics = c.topics.slice(0, 2);
    const label = (t: string) => (COMPLAINT_TOPICS as Record<string, string>)[t] ?? t;
    findings.push(
      both(
        `投诉 ${c.current} 条（对比期 ${c.baseline} 条）${topics.length ? `，主要为${topics.map((t) => `${label(t.topic)}（${t.count}）`).join('、')}` : ''}。`,
        `${c.current} complaint(s) against ${c.baseline} before${topics.length ? `, mostly ${topics.map((t) => `${t.topic} (${t.count})`).join(', ')}` : ''}.`,
      ),
    );
    actions.push(
      both(
        `跟进投诉${topics.length ? `（主要是${topics.map((t) => label(t.topic)).join('、')}）` : ''}并向经销商反馈处理结果。`,
        `Follow up the complaints${topics.length ? ` (mainly ${topics.map((t) => t.topic).join(', ')})` : ''} and report back to the dealer.`,
      ),
    );
  }
  if (stock && stock.nearExpiryShare !== null && stock.nearExpiryShare >= 0.2) {
    findings.push(
      both(
        `月末库存 ${money(stock.value)}，其中临期 ${money(stock.nearExpiryValue)}（${formatPercent(stock.nearExpiryShare)}）。`,
        `Month-end stock ${money(stock.value)}, of which ${money(stock.nearExpiryValue)} near expiry (${formatPercent(stock.nearExpiryShare)}).`,
      ),
    );
    actions.push(
      both(
        '协助清理临期库存，暂停向该经销商压货。',
        'Help clear the near-expiry stock; stop pushing stock to this dealer.',
      ),
    );
  }
  if (
    payments.overdue > 0 ||
    (payments.collectionRatio !== null && payments.collectionRatio < 0.8)
  ) {
    findings.push(
      both(
        `本期开票 ${money(payments.invoiced)}，回款 ${money(payments.paid)}${payments.collectionRatio === null ? '' : `（回款率 ${formatPercent(payments.collectionRatio)}）`}；逾期未回款 ${money(payments.overdue)}。`,
        `Invoiced ${money(payments.invoiced)}, paid ${money(payments.paid)}${payments.collectionRatio === null ? '' : ` (${formatPercent(payments.collectionRatio)})`}; ${money(payments.overdue)} overdue.`,
      ),
    );
    if (payments.overdue > 0) {
      actions.push(
        both(
          '加强回款跟进，复核该经销商的信用额度。',
          "Chase the overdue payments and review the dealer's credit limit.",
        ),
      );
    }
  }
  const v = input.visits;
  if (v.baseline > 0 && v.current <= 0.7 * v.baseline) {
    findings.push(
      both(
        `终端拜访 ${v.current} 次，对比期 ${v.baseline} 次。`,
        `${v.current} outlet visits against ${v.baseline} before.`,
      ),
    );
    actions.push(both('恢复终端拜访频次。', 'Bring outlet visits back to their usual rate.'));
  }
  if (actions.length === 0) {
    actions.push(
      both(
        '与经销商沟通近期的经营变化，确认原因。',
        'Talk with the dealer about what changed recently.',
      ),
    );
  }

  return {
    windows: input.windows,
    current,
    baseline,
    change,
    changePercent,
    decomposition,
    categories,
    outlets,
    lostOutlets: lost.length,
    region,
    signals: {
      complaints: input.complaints,
      stock,
      payments,
      visits: input.visits,
      orderingOutlets: input.orderingOutlets,
    },
    findings,
    actions,
  };
}
