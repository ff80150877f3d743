import type { Kysely } from 'kysely';
import { DomainError } from '@tierline/core';
import type { CreateRebateProgram, RebateProgram, UpdateRebateProgram } from '@tierline/contract';
import type { Database } from '../db/database.js';
import { recordAudit, type AuditOrigin } from '../audit/audit.repository.js';
import { checkProgramLadders } from './rebate-lines.js';
import {
  findProgramByCode,
  getProgramById,
  insertProgram,
  listProgramRows,
  settlementStats,
  updateProgramRow,
  type StoredProgram,
} from './rebate.repository.js';

async function withStats(
  db: Kysely<Database>,
  tenantId: number,
  programs: StoredProgram[],
): Promise<RebateProgram[]> {
  const stats = await settlementStats(
    db,
    tenantId,
    programs.map((p) => p.id),
  );
  return programs.map((p) => ({
    ...p,
    settlements: stats.get(p.id)?.settlements ?? 0,
    closedPeriods: stats.get(p.id)?.closedPeriods ?? [],
  }));
}

/** Every program of the tenant by code, with how many settlements each has. */
export async function listPrograms(
  db: Kysely<Database>,
  tenantId: number,
): Promise<RebateProgram[]> {
  return withStats(db, tenantId, await listProgramRows(db, tenantId));
}

/** One program; throws not-found. */
export async function programDetail(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
): Promise<RebateProgram> {
  return (await withStats(db, tenantId, [await getProgramById(db, tenantId, id)]))[0]!;
}

/**
 * Create a program: every ladder checked by core's `checkRebateLadder` (issues with their paths
 * under `ladders`), the code unique in the tenant; an audit event. Nothing is written when
 * anything is refused.
 */
export async function createProgram(
  db: Kysely<Database>,
  tenantId: number,
  body: CreateRebateProgram,
  origin: AuditOrigin,
): Promise<RebateProgram> {
  checkProgramLadders(body.basis, body.method, body.ladders);
  if (await findProgramByCode(db, tenantId, body.code)) {
    throw new DomainError(
      'conflict',
      `A rebate program with code ${body.code} exists already; choose another code.`,
      { field: 'code', value: body.code },
    );
  }
  const program = await insertProgram(db, tenantId, { ...body, createdBy: origin.actor.name });
  await recordAudit(db, tenantId, origin, {
    action: 'rebate.program_created',
    entityType: 'rebate_program',
    entityId: program.id,
    after: body,
  });
  return { ...program, settlements: 0, closedPeriods: [] };
}

const TERMS = ['periodKind', 'basis', 'method', 'ladders'] as const;

/**
 * Change a program. Its name and whether it is active may always change; its terms (ladders,
 * basis, method, period kind) only while it has no settlement: what was settled must stay
 * explainable by the terms it was settled under, so a change then is refused and a new program
 * is the way. The program row is locked meanwhile, so a settlement cannot slip in between.
 */
export async function updateProgram(
  db: Kysely<Database>,
  tenantId: number,
  id: number,
  body: UpdateRebateProgram,
  origin: AuditOrigin,
): Promise<RebateProgram> {
  const before = await getProgramById(db, tenantId, id, true);
  const changed = TERMS.filter(
    (key) => body[key] !== undefined && JSON.stringify(body[key]) !== JSON.stringify(before[key]),
  );
  const { settlements, closedPeriods } = (await withStats(db, tenantId, [before]))[0]!;
  if (changed.length > 0 && settlements > 0) {
    throw new DomainError(
      'conflict',
      `Rebate program ${before.code} has ${settlements} settlement(s), so its ${changed.join(', ')} cannot change: they must keep explaining what was settled. Create a new program (e.g. ${before.code}-v2) with the new terms, and deactivate this one.`,
      { programId: id, settlements, fields: changed.join(',') },
    );
  }
  const next = {
    basis: body.basis ?? before.basis,
    method: body.method ?? before.method,
    ladders: body.ladders ?? before.ladders,
  };
  if (changed.length > 0) checkProgramLadders(next.basis, next.method, next.ladders);
  const after = await updateProgramRow(db, tenantId, id, body);
  await recordAudit(db, tenantId, origin, {
    action: 'rebate.program_updated',
    entityType: 'rebate_program',
    entityId: id,
    before: Object.fromEntries(
      Object.keys(body).map((k) => [k, before[k as keyof UpdateRebateProgram]]),
    ),
    after: body,
  });
  return { ...after, settlements, closedPeriods };
}
