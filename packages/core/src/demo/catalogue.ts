import { formatDay, monthFirstDay } from './calendar.js';
import { randomFor, STREAM } from './random.js';
import type { DemoProduct } from './types.js';

/**
 * The fictional manufacturer: 禾润食品集团 (Herun Foods), an ambient FMCG maker selling
 * through two-level distribution. Its catalogue has eight categories; each has a Spring
 * Festival stocking boost and a calendar-month profile (index 0 = January) for 618, Double 11,
 * summer drinks and Mid-Autumn gifts.
 */
export const MANUFACTURER = { name: '禾润食品集团', brand: '禾润' } as const;

interface CategorySpec {
  readonly name: string;
  readonly skuPrefix: string;
  readonly brand: string;
  readonly skus: number;
  readonly shelfLife: readonly [number, number];
  /** Price per case in yuan, low to high. */
  readonly price: readonly [number, number];
  readonly lines: readonly string[];
  readonly packs: readonly string[];
  /** Extra share of volume in the Spring Festival stocking window (1 doubles it). */
  readonly festivalBoost: number;
  /** Calendar-month volume factors, January first; ~1 on average. */
  readonly months: readonly number[];
}

// prettier-ignore
export const CATEGORIES: readonly CategorySpec[] = [
  { name: '饮料', skuPrefix: 'BEV', brand: '清溪', skus: 24, shelfLife: [270, 365], price: [30, 80], festivalBoost: 1.5,
    lines: ['茉莉绿茶', '冰红茶', '乌龙茶', '柠檬茶', '鲜橙汁', '苹果汁', '生榨椰汁', '苏打水', '电解质水', '白桃气泡水', '维C能量饮', '酸梅汤'],
    packs: ['500ml×15瓶', '1L×12瓶', '330ml×24罐'],
    months: [1, 1, 0.9, 1, 1.1, 1.45, 1.5, 1.4, 1.05, 0.9, 1.55, 0.8] },
  { name: '乳品', skuPrefix: 'DAI', brand: '源牧', skus: 20, shelfLife: [150, 180], price: [45, 90], festivalBoost: 1.6,
    lines: ['纯牛奶', '高钙牛奶', '常温酸奶', '红枣酸奶', '核桃奶', '乳酸菌饮品', '儿童成长奶', '低脂牛奶', '燕麦奶', '有机纯牛奶'],
    packs: ['250ml×24盒', '200g×12盒', '250ml×16盒'],
    months: [1, 1, 0.95, 0.95, 1, 1.3, 0.95, 0.95, 1.1, 1.05, 1.65, 1] },
  { name: '休闲零食', skuPrefix: 'SNK', brand: '脆乐', skus: 22, shelfLife: [180, 365], price: [60, 200], festivalBoost: 1.5,
    lines: ['原味薯片', '番茄味薯片', '每日坚果', '蛋黄酥', '苏打饼干', '夹心饼干', '麻辣条', '烤海苔', '风干牛肉干', '果冻', '沙琪玛'],
    packs: ['70g×20袋', '25g×30包', '500g×10袋'],
    months: [1, 1, 0.9, 0.9, 1, 1.4, 0.9, 0.9, 1.05, 1, 1.75, 1.1] },
  { name: '方便食品', skuPrefix: 'INS', brand: '面面香', skus: 18, shelfLife: [180, 270], price: [40, 120], festivalBoost: 0.8,
    lines: ['红烧牛肉面', '老坛酸菜面', '香辣牛肉面', '自热火锅', '自热米饭', '螺蛳粉', '酸辣粉', '鲜虾鱼板面', '拌面'],
    packs: ['五连包×6提', '桶装×12桶', '袋装×24袋'],
    months: [1.05, 1, 1, 0.95, 0.95, 1.3, 0.9, 0.9, 1, 1.1, 1.65, 1.15] },
  { name: '调味品', skuPrefix: 'CON', brand: '厨味坊', skus: 20, shelfLife: [540, 720], price: [40, 150], festivalBoost: 0.7,
    lines: ['特级生抽', '红烧老抽', '鲜蚝油', '山西陈醋', '黄酒料酒', '鸡精', '牛油火锅底料', '香辣酱', '鲜味汁', '白米醋'],
    packs: ['500ml×12瓶', '1.9L×6瓶', '200g×20袋'],
    months: [1, 1, 1, 1, 1, 1.2, 0.95, 0.95, 1.05, 1.05, 1.55, 1.1] },
  { name: '粮油', skuPrefix: 'GRN', brand: '金禾', skus: 16, shelfLife: [365, 540], price: [80, 300], festivalBoost: 1.0,
    lines: ['压榨花生油', '菜籽油', '玉米胚芽油', '东北大米', '五常稻花香', '鸡蛋挂面', '高筋面粉', '葵花籽油'],
    packs: ['5L×4桶', '1.8L×6桶', '10kg×2袋'],
    months: [1, 1, 1, 0.95, 0.95, 1.25, 0.9, 0.95, 1.15, 1.05, 1.6, 1.1] },
  { name: '啤酒', skuPrefix: 'BER', brand: '麦浪', skus: 14, shelfLife: [270, 365], price: [40, 120], festivalBoost: 0.8,
    lines: ['纯生啤酒', '清爽啤酒', '精酿白啤', '黑啤', '原浆啤酒', '果味啤酒', '无醇啤酒'],
    packs: ['500ml×12罐', '330ml×24罐', '600ml×12瓶'],
    months: [0.9, 0.9, 0.85, 1, 1.2, 1.55, 1.65, 1.55, 1.05, 0.85, 1.4, 0.75] },
  { name: '节日礼盒', skuPrefix: 'GFT', brand: '禾润礼遇', skus: 16, shelfLife: [270, 365], price: [150, 400], festivalBoost: 3.0,
    lines: ['坚果礼盒', '牛奶礼盒', '饮料礼盒', '粮油礼盒', '零食大礼包', '中秋月饼礼盒', '年货大礼包', '精品茶礼'],
    packs: ['标准装×4盒', '豪华装×2盒'],
    months: [1, 1, 0.5, 0.5, 0.5, 0.8, 0.5, 1.2, 1.9, 0.9, 1.5, 1.2] },
];

/**
 * Build the ~150-SKU catalogue. Names and categories are fixed; prices, shelf lives and
 * launch dates come from the seed. Two SKUs per category launch inside the window (new
 * products to push), one per category is discontinued six months before the window ends.
 */
export function buildCatalogue(
  seed: number,
  firstMonth: number,
  months: number,
): { products: DemoProduct[]; popularity: number[]; launchDays: number[] } {
  const products: DemoProduct[] = [];
  const popularity: number[] = [];
  const launchDays: number[] = [];
  const windowStart = monthFirstDay(firstMonth);
  CATEGORIES.forEach((spec, c) => {
    const rng = randomFor(seed, STREAM.catalogue, c);
    for (let k = 0; k < spec.skus; k++) {
      const line = spec.lines[k % spec.lines.length] as string;
      const pack = spec.packs[
        (k + Math.floor(k / spec.lines.length)) % spec.packs.length
      ] as string;
      const isNew = k >= spec.skus - 2;
      const launched = isNew
        ? monthFirstDay(firstMonth + Math.min(months - 1, rng.int(1, Math.max(1, months - 3)))) +
          rng.int(0, 20)
        : windowStart - rng.int(200, 2900);
      const yuan = rng.between(spec.price[0], spec.price[1]);
      products.push({
        index: products.length,
        sku: `HR-${spec.skuPrefix}-${String(k + 1).padStart(3, '0')}`,
        name: `${spec.brand}${line} ${pack}`,
        category: spec.name,
        brand: spec.brand,
        unit: 'case',
        shelfLifeDays: Math.round(rng.between(spec.shelfLife[0], spec.shelfLife[1]) / 15) * 15,
        // Whole yuan or half yuan, in fen.
        listPrice: Math.round(yuan * 2) * 50,
        launchedOn: formatDay(launched),
        status: k === 3 ? 'discontinued' : 'active',
        isNew,
      });
      // Earlier lines of a category are its best sellers.
      popularity.push((1 / (1 + (k % spec.lines.length) * 0.35)) * rng.noise(0.3));
      launchDays.push(launched);
    }
  });
  return { products, popularity, launchDays };
}

/** Day after which a discontinued product is no longer ordered: six months before the end. */
export function discontinuedAfter(lastMonth: number): number {
  return monthFirstDay(lastMonth - 5) - 1;
}
