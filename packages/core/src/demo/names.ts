import type { Random } from './random.js';

/** Chinese names for people, companies and shops. Data only; everything here is fictional. */

// prettier-ignore
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈'];
// prettier-ignore
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '建国', '红', '志强', '海燕', '建军', '晓东', '丹', '鹏', '辉', '玲', '飞', '鑫', '波', '宇', '浩', '凯', '俊', '雪', '琳', '斌', '婷', '国强', '春梅', '立新', '亮'];
// prettier-ignore
const TRADE_CHARS = ['鑫', '源', '隆', '盛', '恒', '泰', '华', '达', '福', '祥', '瑞', '丰', '汇', '通', '顺', '宏', '兴', '旺', '嘉', '和', '信', '诚', '德', '金', '永', '佳', '亿', '宝', '聚', '润', '东', '新', '利', '发', '昌', '荣', '安', '康', '元', '天'];
// prettier-ignore
const INDUSTRY = ['商贸', '贸易', '食品', '供应链', '副食品', '实业', '商行', '食品贸易'];
// prettier-ignore
const ROLES = ['总经理', '采购经理', '财务', '仓库主管', '业务经理'];
// prettier-ignore
const PHONE_PREFIX = ['138', '139', '137', '136', '135', '150', '151', '158', '159', '186', '187', '188', '189', '177', '199', '133', '153', '180', '181', '131'];

/** A person's name such as 王建华. */
export function personName(rng: Random): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

/** An 11-digit mainland mobile number. */
export function mobile(rng: Random): string {
  return rng.pick(PHONE_PREFIX) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** A contact role such as 采购经理, different from `except`. */
export function contactRole(rng: Random, except?: string): string {
  const role = rng.pick(ROLES);
  return role === except ? '财务' : role;
}

/**
 * A company's trade name and registered name. The registered name carries the city and the
 * county (just the city for a county-less city such as 东莞市): 佛山市顺德区鑫源商贸有限公司,
 * trade name 顺德鑫源商贸. Small 二级 dealers are often sole proprietors (商行).
 */
export function companyNames(
  rng: Random,
  cityName: string,
  countyName: string,
  small: boolean,
): { name: string; legalEntity: string } {
  const trade = rng.pick(TRADE_CHARS) + rng.pick(TRADE_CHARS);
  const industry = small && rng.chance(0.4) ? '商行' : rng.pick(INDUSTRY);
  const place = shortPlace(countyName === cityName ? cityName : countyName);
  const prefix = countyName === cityName ? cityName : `${cityName}${countyName}`;
  const form = industry === '商行' ? '' : rng.chance(0.85) ? '有限公司' : '有限责任公司';
  return {
    name: `${place}${trade}${industry}`,
    legalEntity: `${prefix}${trade}${industry}${form}`,
  };
}

/** 顺德区 → 顺德, 东莞市 → 东莞; names of two characters stay whole (e.g. 城区). */
function shortPlace(name: string): string {
  if (name.length <= 2) return name;
  const stripped = name.replace(/(自治县|自治州|地区|新区|区|县|市|旗|盟)$/, '');
  return stripped.length >= 2 ? stripped : name;
}

/** Outlet types (终端 formats) with their shop-name patterns and how likely each is. */
export const OUTLET_TYPES: readonly { type: string; weight: number; names: readonly string[] }[] = [
  {
    type: 'grocery',
    weight: 34,
    names: ['{s}记便利店', '{s}家副食店', '{t}百货', '{t}小卖部', '{s}氏粮油店'],
  },
  { type: 'convenience', weight: 16, names: ['{t}便利店', '{t}24小时便利', '邻{t}便利店'] },
  {
    type: 'supermarket',
    weight: 16,
    names: ['{t}超市', '{t}生活超市', '{t}购物中心', '{t}平价超市'],
  },
  {
    type: 'restaurant',
    weight: 16,
    names: ['{s}记餐馆', '{t}酒家', '{t}火锅', '{s}家菜馆', '{t}大排档'],
  },
  { type: 'hypermarket', weight: 5, names: ['{t}大卖场', '{t}量贩', '{t}商厦'] },
  { type: 'wholesale_market', weight: 6, names: ['{t}批发部', '{t}食品批发'] },
  { type: 'community_group', weight: 4, names: ['{t}社区团购点', '{t}团购自提点'] },
  { type: 'institution', weight: 3, names: ['{t}学校食堂', '{t}单位食堂', '{t}网吧'] },
];

/** A shop name of the given outlet type, e.g. 王记便利店 or 隆盛超市. */
export function outletName(rng: Random, names: readonly string[]): string {
  return rng
    .pick(names)
    .replace('{s}', rng.pick(SURNAMES))
    .replace('{t}', rng.pick(TRADE_CHARS) + rng.pick(TRADE_CHARS));
}
