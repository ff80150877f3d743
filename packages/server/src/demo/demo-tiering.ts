import type { Kysely } from 'kysely';
import { addMonths, defaultPolicy } from '@tierline/core';
import type { Database } from '../db/database.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import { createPolicyVersion } from '../tiering/policy.service.js';
import { approveRun, createRun, publishRun } from '../tiering/assessment.service.js';

/** Months of published assessments a demo tenant starts with. */
export const DEMO_ASSESSED_MONTHS = 12;

/** What the demo writes on its own behalf. */
export const SYSTEM_ORIGIN: AuditOrigin = {
  actor: { kind: 'system', id: null, name: 'tierline demo' },
  ip: null,
  userAgent: null,
};

/** A demo user (by login) as the origin of what the demo does in its name. */
export async function demoOrigin(
  db: Kysely<Database>,
  tenantId: number,
  login: string,
): Promise<AuditOrigin> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'login'])
    .where('tenant_id', '=', tenantId)
    .where('login', '=', login)
    .executeTakeFirst();
  return {
    actor: user ? { kind: 'user', id: user.id, name: user.login } : SYSTEM_ORIGIN.actor,
    ip: null,
    userAgent: null,
  };
}

/**
 * Give a demo tenant the default policy (战略/核心/潜力/基础) and its assessments of the last
 * 12 months, each computed by the demo channel manager, approved and published by the demo
 * director — the same maker-checker path as the console — so the console opens on real,
 * explained decisions with a year of tier history.
 */
export async function seedDemoTiering(
  db: Kysely<Database>,
  tenantId: number,
  endMonth: string,
  onMonth?: (done: number, total: number, decisions: number) => void,
): Promise<number> {
  const first = addMonths(endMonth, -(DEMO_ASSESSED_MONTHS - 1));
  const maker = await demoOrigin(db, tenantId, 'manager');
  const checker = await demoOrigin(db, tenantId, 'admin');
  const policy = await createPolicyVersion(
    db,
    tenantId,
    defaultPolicy(first),
    '演示默认政策',
    SYSTEM_ORIGIN,
  );
  let decisions = 0;
  for (let i = 0; i < DEMO_ASSESSED_MONTHS; i++) {
    const run = await createRun(
      db,
      tenantId,
      { period: addMonths(first, i), policy: policy.name },
      maker,
    );
    await approveRun(db, tenantId, run.id, checker);
    await publishRun(db, tenantId, run.id, checker);
    decisions += run.dealerCount;
    onMonth?.(i + 1, DEMO_ASSESSED_MONTHS, decisions);
  }
  return DEMO_ASSESSED_MONTHS;
}
