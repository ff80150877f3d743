import type { Kysely } from 'kysely';
import { checkAlertRule, DEFAULT_ALERT_RULES, DomainError, type AlertRule } from '@tierline/core';
import { AlertRuleDocument, type AlertRuleVersion } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import {
  findLatestRule,
  hasRules,
  insertRuleVersion,
  listLatestRules,
} from './alert-rule.repository.js';

/** Codes that would collide with /api/v1/alerts/rules/{catalogue,preview}. */
const RESERVED_CODES: ReadonlySet<string> = new Set(['catalogue', 'preview']);

export interface RuleIssue {
  path: string;
  message: string;
}

/**
 * Check a rule document: its shape (the contract's zod schema: kinds, parameters and their
 * ranges) and then its meaning (core's `checkAlertRule`: measures exist and suit the kind).
 */
export function validateRuleDocument(document: unknown): {
  rule: AlertRuleDocument | null;
  issues: RuleIssue[];
} {
  const parsed = AlertRuleDocument.safeParse(document);
  if (!parsed.success) {
    return {
      rule: null,
      issues: parsed.error.issues.map((i) => ({
        path: i.path
          .map((p, k) => (typeof p === 'number' ? `[${p}]` : k === 0 ? String(p) : `.${String(p)}`))
          .join(''),
        message: i.message,
      })),
    };
  }
  const issues = checkAlertRule(parsed.data);
  return { rule: issues.length === 0 ? parsed.data : null, issues };
}

/** Parse and check, or throw one `validation_failed` error listing every issue with its path. */
export function requireValidRule(document: unknown): AlertRuleDocument {
  const { rule, issues } = validateRuleDocument(document);
  if (!rule) {
    const first = issues[0];
    throw new DomainError(
      'validation_failed',
      issues.length === 1 && first
        ? `The alert rule is invalid: ${first.path || '(document)'}: ${first.message}`
        : `The alert rule has ${issues.length} problems${first ? `; the first: ${first.path || '(document)'}: ${first.message}` : ''}`,
      { issues },
    );
  }
  return rule;
}

/**
 * Save a rule version with an audit event. `mode` says what the caller means: `create` refuses
 * a code that exists (409), `version` refuses one that does not (404) and a document whose code
 * is not `code`; `upsert` (the CLI's `rules set`) takes either.
 */
export async function saveRule(
  db: Kysely<Database>,
  tenantId: number,
  document: unknown,
  note: string,
  origin: AuditOrigin,
  mode: { kind: 'create' } | { kind: 'version'; code: string } | { kind: 'upsert' },
): Promise<AlertRuleVersion> {
  const rule = requireValidRule(document);
  if (RESERVED_CODES.has(rule.code)) {
    throw new DomainError(
      'validation_failed',
      `"${rule.code}" is reserved (a path of the API); choose another code.`,
      { field: 'document.code', value: rule.code },
    );
  }
  const latest = await findLatestRule(db, tenantId, rule.code);
  if (mode.kind === 'create' && latest) {
    throw new DomainError(
      'conflict',
      `An alert rule with code "${rule.code}" exists; save a new version of it instead.`,
      { field: 'document.code', value: rule.code },
    );
  }
  if (mode.kind === 'version') {
    if (rule.code !== mode.code) {
      throw new DomainError(
        'validation_failed',
        `The document's code "${rule.code}" is not the rule's code "${mode.code}".`,
        { field: 'document.code', value: rule.code },
      );
    }
    if (!latest) throw new DomainError('not_found', `Alert rule ${mode.code} does not exist.`);
  }
  const saved = await insertRuleVersion(db, tenantId, rule, note, origin.actor.name);
  await recordAudit(db, tenantId, origin, {
    action: saved.version === 1 ? 'alert_rule.created' : 'alert_rule.version_created',
    entityType: 'alert_rule',
    entityId: saved.id,
    after: { code: saved.code, version: saved.version, enabled: rule.enabled, note },
  });
  return saved;
}

/** Enable or disable a rule: its next version, the same document with `enabled` changed. */
export async function setRuleEnabled(
  db: Kysely<Database>,
  tenantId: number,
  code: string,
  enabled: boolean,
  note: string,
  origin: AuditOrigin,
): Promise<AlertRuleVersion> {
  const latest = await findLatestRule(db, tenantId, code);
  if (!latest) throw new DomainError('not_found', `Alert rule ${code} does not exist.`);
  if (latest.document.enabled === enabled) return latest;
  return saveRule(
    db,
    tenantId,
    { ...latest.document, enabled },
    note || (enabled ? 'enabled' : 'disabled'),
    origin,
    { kind: 'version', code },
  );
}

/**
 * Install the default rule set (core's DEFAULT_ALERT_RULES) for a tenant that has never had a
 * rule; a tenant that has (even if it disabled them all) is left alone. Returns how many were
 * installed.
 */
export async function ensureDefaultAlertRules(
  db: Kysely<Database>,
  tenantId: number,
  origin: AuditOrigin,
): Promise<number> {
  if (await hasRules(db, tenantId)) return 0;
  for (const rule of DEFAULT_ALERT_RULES) {
    await saveRule(db, tenantId, rule, 'default rule set', origin, { kind: 'create' });
  }
  return DEFAULT_ALERT_RULES.length;
}

/** The latest version of every rule, as core rules with their stored ids and versions. */
export async function currentRules(
  db: Kysely<Database>,
  tenantId: number,
): Promise<{ rule: AlertRule; id: number; version: number }[]> {
  return (await listLatestRules(db, tenantId)).map((v) => ({
    rule: v.document,
    id: v.id,
    version: v.version,
  }));
}
