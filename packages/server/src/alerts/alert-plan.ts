import {
  isSalesRule,
  monthIndex,
  type AlertCondition,
  type AlertRule,
  type AlertSeverity,
} from '@tierline/core';
import type { AlertDealerRow } from './alert-data.repository.js';
import type { DiagnosisRequest } from './alert-diagnosis.js';
import type { AlertState } from './alert.repository.js';

/** `resolved_by` of an alert the engine resolved because its condition cleared. */
export const SYSTEM_RESOLVER = 'system';
const ACTIVE = new Set(['open', 'acknowledged']);

export interface Open {
  key: string;
  dealer: AlertDealerRow;
  rule: AlertRule;
  ruleId: number;
  version: number;
  condition: AlertCondition;
}
export interface Update extends Open {
  kind: 'update' | 'reopen';
  alert: AlertState;
}
export interface Resolve {
  dealer: AlertDealerRow;
  rule: AlertRule;
  alert: AlertState;
  reason: { zh: string; en: string };
}

/**
 * What to do with one round of dealers, decided in memory before anything is written (the table
 * in docs/alerts.md, "Evaluation").
 */
export function planChunk(
  dealers: readonly AlertDealerRow[],
  rules: readonly { rule: AlertRule; id: number; version: number }[],
  latest: ReadonlyMap<string, AlertState>,
  evaluate: (dealer: AlertDealerRow) => AlertCondition[],
) {
  const opens: Open[] = [];
  const updates: Update[] = [];
  const resolves: Resolve[] = [];
  const touch: number[] = [];
  const cleared: number[] = [];
  const diagnose: DiagnosisRequest[] = [];
  const activeSeverities = new Map<number, AlertSeverity[]>();
  let suppressed = 0;
  let evaluated = 0;
  for (const dealer of dealers) {
    const trading = dealer.status === 'active' || dealer.status === 'probation';
    const conditions = trading ? evaluate(dealer) : [];
    if (trading) evaluated++;
    const byRule = new Map(conditions.map((c) => [c.rule, c]));
    const severities: AlertSeverity[] = [];
    for (const { rule, id, version } of rules) {
      const key = `${rule.code}|${dealer.id}`;
      const condition = rule.enabled ? byRule.get(rule.code) : undefined;
      const last = latest.get(key);
      const active = last !== undefined && ACTIVE.has(last.status);
      if (condition) {
        const item = { key, dealer, rule, ruleId: id, version, condition };
        if (active) {
          severities.push(condition.severity);
          const changed =
            last.month !== condition.month ||
            last.severity !== condition.severity ||
            last.title !== condition.title.zh ||
            last.ruleVersion !== version ||
            stableJson(last.evidence) !== stableJson(condition.evidence);
          if (changed) {
            updates.push({ ...item, kind: 'update', alert: last });
            if (isSalesRule(rule) && (last.month !== condition.month || !last.hasDiagnosis)) {
              diagnose.push({ key, dealerId: dealer.id, condition });
            }
          } else {
            touch.push(last.id);
          }
        } else if (last && last.clearedAt === null && last.status === 'dismissed') {
          suppressed++;
        } else if (last && last.clearedAt === null && last.resolvedBy !== SYSTEM_RESOLVER) {
          // Resolved by hand: reopened only by a later month that still shows the condition.
          if (monthIndex(condition.month) > monthIndex(last.month)) {
            updates.push({ ...item, kind: 'reopen', alert: last });
            severities.push(condition.severity);
            if (isSalesRule(rule)) diagnose.push({ key, dealerId: dealer.id, condition });
          } else {
            suppressed++;
          }
        } else {
          opens.push(item);
          severities.push(condition.severity);
          if (isSalesRule(rule)) diagnose.push({ key, dealerId: dealer.id, condition });
        }
      } else if (active) {
        resolves.push({
          dealer,
          rule,
          alert: last,
          reason: !rule.enabled
            ? { zh: '规则已停用，预警自动关闭。', en: 'The rule was disabled.' }
            : !trading
              ? {
                  zh: `经销商状态为 ${dealer.status}，预警自动关闭。`,
                  en: `The dealer is ${dealer.status}.`,
                }
              : { zh: '预警条件已解除，自动关闭。', en: 'The condition no longer holds.' },
        });
      } else if (last && last.clearedAt === null) {
        cleared.push(last.id);
      }
    }
    activeSeverities.set(dealer.id, severities);
  }
  return {
    opens,
    updates,
    resolves,
    touch,
    cleared,
    diagnose,
    activeSeverities,
    suppressed,
    evaluated,
  };
}

/** JSON with object keys sorted at every level: equal values give equal text (jsonb reorders keys). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}
