import type { Kysely } from 'kysely';
import type { AlertEvaluation } from '@tierline/contract';
import type { Database } from '../db/database.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { evaluateAlerts } from './alert-evaluation.service.js';
import { ensureDefaultAlertRules } from './alert-rule.service.js';

const DEMO_ORIGIN: AuditOrigin = {
  actor: { kind: 'system', id: null, name: 'demo' },
  ip: null,
  userAgent: null,
};

/**
 * For the end of the demo load: install the default alert rules and evaluate them as of the
 * demo's last month, so the console opens on a populated alert board (in the caller's
 * transaction when `db` is one).
 */
export async function seedDemoAlerts(
  db: Kysely<Database>,
  tenantId: number,
  endMonth: string,
  now?: Date,
): Promise<AlertEvaluation> {
  const run = async (trx: Kysely<Database>) => {
    await ensureDefaultAlertRules(trx, tenantId, DEMO_ORIGIN);
    return evaluateAlerts(trx, tenantId, {
      asOf: endMonth,
      origin: DEMO_ORIGIN,
      trigger: 'demo',
      now,
    });
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
