import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { addMonths, defaultPolicy } from '@tierline/core';
import {
  ImportMapping,
  type DealerDetail,
  type DealerFacets,
  type DealerPage,
  type DealerTier,
  type DecisionDetail,
  type RegionList,
  type RunDetail,
} from '@tierline/contract';
import { buildApp } from '../app.js';
import type { AuditOrigin } from '../audit/audit.repository.js';
import type { AppUserRow } from '../db/database.js';
import { withTenant } from '../db/tenant-scope.js';
import { createTestStore, unique, type TestStore } from '../test/test-store.js';
import {
  makeChannel,
  makeDealer,
  makeUser,
  sessionHeaders,
  TEST_PASSWORD,
  type TestChannel,
} from '../test/factories.js';
import { insertToken } from '../tokens/token.repository.js';
import { runImport } from '../imports/import.service.js';
import { saveMapping } from '../imports/import-mapping.repository.js';
import { createPolicyVersion } from '../tiering/policy.service.js';
import { approveRun, createRun, publishRun } from '../tiering/assessment.service.js';
import {
  decideClaim,
  decideRequest,
  grantFund,
  submitClaim,
  submitRequest,
} from '../funds/fund.service.js';
import { createProgram as createRebateProgram } from '../rebates/rebate-program.service.js';
import { settleRebates } from '../rebates/rebate-settlement.service.js';
import { createBenefit, saveBenefitValues } from '../resources/benefit.service.js';
import { createAllocation, publishAllocation } from '../resources/allocation.service.js';
import { insertChannel, insertDeliveries } from '../notifications/notification.repository.js';
import { testPayload } from '../notifications/channel.service.js';
import { saveRule as saveAlertRule } from '../alerts/alert-rule.service.js';
import { CSRF_HEADER, SESSION_COOKIE } from './guard.js';
import { createSession } from './session.repository.js';

/**
 * The access matrix: every route of the app (read from its own OpenAPI document, so that a new
 * route fails this file until it gets a row) × every kind of caller × scope, with the expected
 * status written out by hand below, independent of `policy.ts`. Every answer is also checked
 * for data the caller may not see, every denied answer for its exact error shape, and every
 * denied write for leaving the database as it was.
 */

const CALLERS = [
  'anonymous',
  'adminA',
  'analystA',
  'managerA', // channel manager of 广东省 (and its subtree)
  'dealerA', // dealer user of its own dealer
  'adminB', // admin of the other tenant
  'readToken', // tenant A API tokens
  'ingestToken',
  'adminA2ClaimsB', // a second admin of A sending X-Tierline-Tenant: <B>
  'revokedToken',
  'expiredToken',
  'garbageBearer',
  'foreignToken', // A's token secret presented as B's (tl_<B>_<secret>)
  'tamperedCookie', // admin A's session cookie with one character of the secret changed
  'expiredCookie',
  'disabledUser', // a live session of a user since disabled
  'foreignCookie', // admin A's session secret presented as B's (<B>.<secret>)
] as const;
type Caller = (typeof CALLERS)[number];
type Status = 200 | 201 | 204 | 401 | 403 | 404;
type PerCaller<T extends readonly unknown[]> = { -readonly [K in keyof T]: Status };
type Expected = PerCaller<typeof CALLERS>;

/**
 * One row per route (and per kind of target id where the id matters), one column per caller,
 * in the order of CALLERS. Keys are `<METHOD> <OpenAPI path>`, optionally ` · <target>`.
 */
// prettier-ignore
const EXPECTED = {
  //                                              anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/health':                             [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  'GET /api/v1/session/hint':                    [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  'GET /api/v1/tenant':                          [401, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers':                         [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/facets':                  [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id} · A 广东 1级':        [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id} · A 山东 2级 of 广东': [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id} · A 山东 1级':        [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id} · dealer user own':  [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id} · B dealer':         [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/regions':                         [401, 200, 200, 200, 403, 200, 200, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/products':                        [401, 200, 200, 200, 403, 200, 200, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/session':                        [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  'GET /api/v1/session':                         [401, 200, 200, 200, 200, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/session':                      [401, 204, 204, 204, 204, 204, 403, 403, 204,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/session/password':               [401, 204, 204, 204, 204, 204, 403, 403, 204,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/users':                           [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/users':                          [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/users/{id} · A user':           [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/users/{id} · B user':           [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/tokens':                          [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/tokens':                         [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/tokens/{id} · A token':        [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/tokens/{id} · B token':        [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/audit':                           [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/audit/export':                    [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal':                          [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/imports/{kind}':                 [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/imports/{kind}/preview':         [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/ingest/{kind}':                  [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports':                         [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports/{id} · A batch':          [401, 200, 403, 403, 403, 404, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports/{id} · B batch':          [401, 404, 403, 403, 403, 200, 403, 404, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports/{id}/report · A batch':   [401, 200, 403, 403, 403, 404, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports/{id}/report · B batch':   [401, 404, 403, 403, 403, 200, 403, 404, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/imports/report':                 [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/imports/templates/{kind}':        [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/import-mappings':                 [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PUT /api/v1/import-mappings/{name}':          [401, 200, 403, 403, 403, 200, 403, 200, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/import-mappings/{name} · A':   [401, 204, 403, 403, 403, 404, 403, 204, 204,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/import-mappings/{name} · B':   [401, 404, 403, 403, 403, 204, 403, 404, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  // Scoring and tiering. `A 山东 1级` is terminated (never assessed); `A 山东 1级 active` is
  // assessed and outside the 广东 manager's regions. What a user writes here names the user's
  // login (createdBy, updatedBy), which `invisibleTo` hides from other callers: GET /policies
  // runs before POST /policies, and GET /assessments lists only the fixture's period.
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/policies':                                                   [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/catalogue':                                         [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/schema':                                            [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/policies/validate':                                         [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/policies':                                                  [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name} · A policy':                                 [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name} · B policy':                                 [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name}/versions · A policy':                        [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name}/versions · B policy':                        [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name}/compare · A policy':                         [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/policies/{name}/compare · B policy':                         [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments':                                                [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments':                                               [401, 201, 403, 201, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id} · A run':                                   [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id} · B run':                                   [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions · A run':                         [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions · B run':                         [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · A 广东 1级':         [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · A 山东 1级 active':  [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · dealer user own':    [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · B dealer':           [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments/{id}/overrides · A 广东 1级':                   [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments/{id}/overrides · A 山东 1级 active':            [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments/{id}/approve':                                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments/{id}/publish':                                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/assessments/{id}/discard':                                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/assessments/{id}/export':                                    [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/tiers/overview':                                             [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/tiers/migration':                                            [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · A 广东 1级':                             [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · A 山东 2级 of 广东':                     [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · A 山东 1级':                             [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · A 山东 1级 active':                      [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · dealer user own':                        [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/tier · B dealer':                               [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/tier':                                                [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/simulations':                                               [401, 200, 200, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger':                                                     [401, 200, 200, 200, 200, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries':                                             [401, 200, 200, 200, 200, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries/{index} · A 广东 1级 decision':               [401, 200, 200, 200, 404, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries/{index} · A 山东 1级 active decision':        [401, 200, 200, 404, 404, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries/{index} · dealer user own decision':          [401, 200, 200, 200, 200, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries/{index} · A run':                             [401, 200, 200, 404, 404, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/entries/{index}/replay':                              [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/proofs/inclusion':                                    [401, 200, 200, 200, 200, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/ledger/proofs/consistency':                                  [401, 200, 200, 200, 200, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/resume · A 广东 1级':                           [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/resume · A 山东 1级 active':                    [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/resume · B dealer':                             [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/resume':                                              [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /ledger/{slug}/checkpoint':                                          [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  'GET /ledger/{slug}/vkey':                                                [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  'GET /ledger/{slug}/tile/{*}':                                              [200, 200, 200, 200, 200, 200, 200, 200, 200,  401, 401, 401, 401,  200, 200, 200, 200],
  // Market development funds. Each tenant's dealers have funds, requests and claims made by
  // the CLI (MDF_FIXTURE); the GET rows run before the writes (which name the caller's login).
  // Portal writes act on the dealer user's own dealer: anyone else is refused, even an admin.
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/funds/balances':                                             [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/requests':                                             [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/claims':                                               [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/requests/{id} · A 广东 1级':                           [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/requests/{id} · A 山东 1级 active':                    [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/requests/{id} · B dealer':                             [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · A 广东 1级':            [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · A 山东 1级 active':     [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · B dealer':              [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/funds':                                               [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/funds/claims/{id}/proofs/{proofId} · dealer user own': [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/funds/claims/{id}/proofs/{proofId} · A 广东 1级':     [401, 403, 403, 403, 404, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds':                                                     [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests · A 广东 1级':                               [401, 201, 403, 201, 403, 404, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests · A 山东 1级 active':                        [401, 201, 403, 404, 403, 404, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests/{id}/approve · A 广东 1级':                  [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests/{id}/approve · A 山东 1级 active':           [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests/{id}/reject · A 广东 1级':                   [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/requests/{id}/reject · A 山东 1级 active':            [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/approve · A 广东 1级':                    [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/approve · A 山东 1级 active':             [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/reject · A 广东 1级':                     [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/reject · A 山东 1级 active':              [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/pay · A 广东 1级':                        [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/funds/claims/{id}/pay · B dealer':                          [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/portal/funds/requests':                                     [401, 403, 403, 403, 201, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/portal/funds/requests/{id}/cancel · dealer user own':       [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/portal/funds/requests/{id}/cancel · A 广东 1级':            [401, 403, 403, 403, 404, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/portal/funds/requests/{id}/claims · dealer user own':       [401, 403, 403, 403, 201, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/portal/funds/requests/{id}/claims · A 广东 1级':            [401, 403, 403, 403, 404, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  // Ladder rebates. Both tenants have a program of code REBATE_CODE with an interim settlement
  // made by the CLI; the GET of settlements runs before the POST (which names the login).
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/rebates/programs':                                           [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/rebates/programs':                                          [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/rebates/programs/{id} · A program':                          [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/rebates/programs/{id} · B program':                          [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/rebates/programs/{id} · A program':                        [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/rebates/programs/{id} · B program':                        [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/rebates/preview':                                            [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/rebates/preview/export':                                     [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/rebates/settlements':                                        [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/rebates/settlements':                                       [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/rebates':                                             [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  // Benefits, packages, allocations and ROI. Each tenant has a benefit with values and a
  // published allocation made by the CLI; the GET rows run before the writes (which name the
  // login of the admin who computes or publishes).
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/benefits':                                                   [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/benefits/values':                                            [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/package · A 广东 1级':                          [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/package · A 山东 1级 active':                   [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/package · dealer user own':                     [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/package · B dealer':                            [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/package':                                             [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations':                                                [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations/{id} · A allocation':                            [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations/{id} · B allocation':                            [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations/{id}/lines · A allocation':                      [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations/{id}/lines · B allocation':                      [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/allocations/{id}/export':                                    [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/resources/roi':                                              [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/benefits':                                                  [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/benefits/{id} · A benefit':                                [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/benefits/{id} · B benefit':                                [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'PUT /api/v1/benefits/values':                                            [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/allocations':                                               [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/allocations/{id}/publish':                                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/allocations/{id}/discard':                                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  // Notifications (admins only). Each tenant has a channel to a loopback address the server
  // refuses to send to (the test and retry rows log a failed attempt without any network); the
  // GET rows run before the writes (a created channel names the login).
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/notifications/channels':                                     [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/notifications/deliveries':                                   [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/notifications/channels':                                    [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/notifications/channels/{id} · A channel':                  [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/notifications/channels/{id} · B channel':                  [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/notifications/channels/{id}/test · A channel':              [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/notifications/channels/{id}/test · B channel':              [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/notifications/deliveries/{id}/retry · A delivery':          [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/notifications/deliveries/{id}/retry · B delivery':          [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/notifications/channels/{id} · A channel':                 [401, 204, 403, 403, 403, 404, 403, 403, 204,  401, 401, 401, 401,  401, 401, 401, 401],
  'DELETE /api/v1/notifications/channels/{id} · B channel':                 [401, 404, 403, 403, 403, 204, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  // Alerts. Each tenant has a rule and open alerts (gdLeader, sdActive, own; B's dealer), made
  // by the CLI; the GET rows run before the writes (a user's action names its login).
  //                                                                         anon  adA  anl  mgr  dlr  adB  rdT  inT  hdr   rvT  exT  grb  frT   tmC  exC  dis  frC
  'GET /api/v1/alerts':                                                     [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/rules':                                               [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/rules/catalogue':                                     [401, 200, 200, 200, 403, 200, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/rules/{code} · A rule':                               [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/rules/{code} · B rule':                               [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/{id} · A 广东 1级':                                   [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/{id} · A 山东 1级 active':                            [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/{id} · B dealer':                                     [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/health · A 广东 1级':                           [401, 200, 200, 200, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/health · A 山东 1级 active':                    [401, 200, 200, 404, 403, 404, 200, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/dealers/{id}/health · B dealer':                             [401, 404, 404, 404, 403, 200, 404, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/portal/alerts':                                              [401, 403, 403, 403, 200, 403, 403, 403, 403,  401, 401, 401, 401,  401, 401, 401, 401],
  // Who may own alerts (alerts:manage): names and roles, never logins; with a dealer, the
  // dealer must be in the caller's scope.
  'GET /api/v1/alerts/assignees':                                           [401, 200, 403, 200, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/assignees · A 广东 1级':                              [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/assignees · A 山东 1级 active':                       [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'GET /api/v1/alerts/assignees · B dealer':                                [401, 404, 403, 404, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/rules':                                              [401, 201, 403, 403, 403, 201, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/rules/preview':                                      [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/rules/{code}/versions · A rule':                     [401, 201, 403, 403, 403, 404, 403, 403, 201,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/rules/{code}/versions · B rule':                     [401, 404, 403, 403, 403, 201, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/alerts/rules/{code} · A rule':                             [401, 200, 403, 403, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'PATCH /api/v1/alerts/rules/{code} · B rule':                             [401, 404, 403, 403, 403, 200, 403, 403, 404,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/evaluate':                                           [401, 200, 403, 403, 403, 200, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/acknowledge · A 广东 1级':                      [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/acknowledge · A 山东 1级 active':               [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/resolve · A 广东 1级':                          [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/resolve · A 山东 1级 active':                   [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/dismiss · A 广东 1级':                          [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/dismiss · A 山东 1级 active':                   [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/comments · A 广东 1级':                         [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/comments · A 山东 1级 active':                  [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/assign · A 广东 1级':                           [401, 200, 403, 200, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
  'POST /api/v1/alerts/{id}/assign · A 山东 1级 active':                    [401, 200, 403, 404, 403, 404, 403, 403, 200,  401, 401, 401, 401,  401, 401, 401, 401],
} satisfies Record<string, Expected>;
type RowKey = keyof typeof EXPECTED;

/** What one call of a row sends, and the state that a denied call must leave unchanged. */
interface Target {
  url: string;
  payload?: Record<string, unknown> | unknown[] | string;
  /** Headers of the request itself (e.g. the content type of a file upload). */
  headers?: Record<string, string>;
  state?: () => Promise<unknown>;
}

const routeOf = (key: string) => key.split(' · ')[0] as string;
const methodOf = (key: string) =>
  routeOf(key).split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Named {
  id: number;
  code: string;
  name: string;
}

let store: TestStore;
let app: FastifyInstance;
let a: TestChannel;
let b: TestChannel;
const user = {} as Record<
  | 'adminA'
  | 'adminA2'
  | 'analystA'
  | 'managerA'
  | 'dealerA'
  | 'disabledA'
  | 'signInA'
  | 'targetA'
  | 'adminB'
  | 'targetB',
  AppUserRow
>;
const dealer = {} as Record<
  'gdLeader' | 'gdSub' | 'sdSub' | 'sdLeader' | 'sdActive' | 'own' | 'b',
  Named
>;
const secret = {} as Record<'read' | 'ingest' | 'revoked' | 'expired' | 'b', string>;
const tokenNames: { a: string[]; b: string[] } = { a: [], b: [] };
const bOnly: string[] = [];
/** Tokens of tenant B that callers other than B's admin tried to revoke. */
const bTokensTried: number[] = [];

const BAD_BEARERS = new Set<Caller>([
  'revokedToken',
  'expiredToken',
  'garbageBearer',
  'foreignToken',
]);
const BAD_COOKIES = new Set<Caller>([
  'tamperedCookie',
  'expiredCookie',
  'disabledUser',
  'foreignCookie',
]);

function db() {
  return store.db;
}

async function session(tenantId: number, userId: number): Promise<Record<string, string>> {
  return sessionHeaders(db(), tenantId, userId);
}

/** Replace the tenant id of `<cookie name>=<tenant id>.<secret>`. */
function cookieWithTenant(cookie: string, tenantId: number): string {
  return cookie.replace(/=\d+\./, `=${tenantId}.`);
}

async function headersOf(caller: Caller): Promise<Record<string, string>> {
  switch (caller) {
    case 'anonymous':
      return {};
    case 'adminA':
    case 'analystA':
    case 'managerA':
    case 'dealerA':
      return session(a.tenantId, user[caller].id);
    case 'adminB':
      return session(b.tenantId, user.adminB.id);
    case 'adminA2ClaimsB':
      return { ...(await session(a.tenantId, user.adminA2.id)), 'x-tierline-tenant': b.slug };
    case 'readToken':
      return { authorization: `Bearer ${secret.read}` };
    case 'ingestToken':
      return { authorization: `Bearer ${secret.ingest}` };
    case 'revokedToken':
      return { authorization: `Bearer ${secret.revoked}` };
    case 'expiredToken':
      return { authorization: `Bearer ${secret.expired}` };
    case 'garbageBearer':
      return { authorization: 'Bearer tl_garbage-not-a-token' };
    case 'foreignToken':
      return {
        authorization: `Bearer ${secret.read.replace(`tl_${a.tenantId}_`, `tl_${b.tenantId}_`)}`,
      };
    case 'tamperedCookie': {
      const headers = await session(a.tenantId, user.adminA.id);
      const cookie = headers['cookie']!;
      const at = cookie.indexOf('.') + 1;
      const flipped = cookie[at] === 'A' ? 'B' : 'A';
      return { ...headers, cookie: `${cookie.slice(0, at)}${flipped}${cookie.slice(at + 1)}` };
    }
    case 'expiredCookie': {
      const thirteenHoursAgo = new Date(Date.now() - 13 * 3_600_000);
      const created = await createSession(
        db(),
        a.tenantId,
        user.adminA.id,
        { ip: null, userAgent: null },
        thirteenHoursAgo,
      );
      return { cookie: `${SESSION_COOKIE}=${created.cookie}`, [CSRF_HEADER]: created.csrfToken };
    }
    case 'disabledUser':
      return session(a.tenantId, user.disabledA.id);
    case 'foreignCookie': {
      const headers = await session(a.tenantId, user.adminA.id);
      return { ...headers, cookie: cookieWithTenant(headers['cookie']!, b.tenantId) };
    }
  }
}

async function count(table: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)}`.execute(db());
  return rows[0]!.n;
}

async function userState(tenantId: number, id: number) {
  const { rows } = await sql`
    select u.display_name, u.role, u.status, u.dealer_id, u.password_hash, u.failed_attempts,
      u.locked_until, array(select region_id from user_region r
        where r.tenant_id = u.tenant_id and r.user_id = u.id order by region_id) as regions
    from app_user u where u.tenant_id = ${tenantId} and u.id = ${id}`.execute(db());
  return rows;
}

async function tokenState(tenantId: number, id: number) {
  const { rows } = await sql`
    select revoked_at, name, scope from api_token
    where tenant_id = ${tenantId} and id = ${id}`.execute(db());
  return rows;
}

async function newToken(tenantId: number, name = unique('target-token')) {
  return insertToken(db(), tenantId, { name, scope: 'read', createdBy: 'test', expiresAt: null });
}

const passwordsAndUsers = async () =>
  (
    await sql`select tenant_id, id, password_hash from app_user order by tenant_id, id`.execute(
      db(),
    )
  ).rows;

/** How each row's call is made for a caller. */
const TARGETS: Record<RowKey, (caller: Caller) => Promise<Target>> = {
  'GET /api/health': async () => ({ url: '/api/health' }),
  'GET /api/v1/session/hint': async () => ({ url: '/api/v1/session/hint' }),
  'GET /api/v1/tenant': async () => ({ url: '/api/v1/tenant' }),
  'GET /api/v1/dealers': async () => ({ url: '/api/v1/dealers?limit=100' }),
  'GET /api/v1/dealers/facets': async () => ({ url: '/api/v1/dealers/facets' }),
  'GET /api/v1/dealers/{id} · A 广东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.gdLeader.id}`,
  }),
  'GET /api/v1/dealers/{id} · A 山东 2级 of 广东': async () => ({
    url: `/api/v1/dealers/${dealer.sdSub.id}`,
  }),
  'GET /api/v1/dealers/{id} · A 山东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.sdLeader.id}`,
  }),
  'GET /api/v1/dealers/{id} · dealer user own': async () => ({
    url: `/api/v1/dealers/${dealer.own.id}`,
  }),
  'GET /api/v1/dealers/{id} · B dealer': async () => ({ url: `/api/v1/dealers/${dealer.b.id}` }),
  'GET /api/v1/regions': async () => ({ url: '/api/v1/regions' }),
  'GET /api/v1/products': async () => ({ url: '/api/v1/products?limit=100' }),
  'POST /api/v1/session': async () => ({
    url: '/api/v1/session',
    payload: { tenant: a.slug, login: user.signInA.login, password: TEST_PASSWORD },
    state: () => count('user_session'),
  }),
  'GET /api/v1/session': async () => ({ url: '/api/v1/session' }),
  'DELETE /api/v1/session': async () => ({
    url: '/api/v1/session',
    state: () => count('user_session'),
  }),
  'POST /api/v1/session/password': async () => ({
    url: '/api/v1/session/password',
    payload: { currentPassword: TEST_PASSWORD, newPassword: 'a new and long password' },
    state: passwordsAndUsers,
  }),
  'GET /api/v1/users': async () => ({ url: '/api/v1/users' }),
  'POST /api/v1/users': async () => ({
    url: '/api/v1/users',
    payload: {
      login: unique('new-user'),
      displayName: 'New user',
      role: 'analyst',
      password: 'a long enough password',
    },
    state: () => count('app_user'),
  }),
  'PATCH /api/v1/users/{id} · A user': async (caller) => ({
    url: `/api/v1/users/${user.targetA.id}`,
    payload: { displayName: `Renamed by ${caller}` },
    state: () => userState(a.tenantId, user.targetA.id),
  }),
  'PATCH /api/v1/users/{id} · B user': async (caller) => ({
    url: `/api/v1/users/${user.targetB.id}`,
    payload: { displayName: `Renamed by ${caller}` },
    state: () => userState(b.tenantId, user.targetB.id),
  }),
  'GET /api/v1/tokens': async () => ({ url: '/api/v1/tokens' }),
  'POST /api/v1/tokens': async () => ({
    url: '/api/v1/tokens',
    payload: { name: unique('connector'), scope: 'read' },
    state: () => count('api_token'),
  }),
  'DELETE /api/v1/tokens/{id} · A token': async () => {
    const { token } = await newToken(a.tenantId);
    return { url: `/api/v1/tokens/${token.id}`, state: () => tokenState(a.tenantId, token.id) };
  },
  'DELETE /api/v1/tokens/{id} · B token': async (caller) => {
    const { token } = await newToken(b.tenantId);
    if (caller !== 'adminB') bTokensTried.push(token.id);
    return { url: `/api/v1/tokens/${token.id}`, state: () => tokenState(b.tenantId, token.id) };
  },
  'GET /api/v1/audit': async () => ({ url: '/api/v1/audit?limit=200' }),
  'GET /api/v1/audit/export': async () => ({ url: '/api/v1/audit/export?format=csv' }),
  'GET /api/v1/portal': async () => ({ url: '/api/v1/portal' }),
  'POST /api/v1/imports/{kind}': async (caller) => ({
    url: '/api/v1/imports/payments?fileName=matrix.csv',
    payload: paymentsCsv(caller),
    headers: { 'content-type': 'text/csv' },
    state: () => count('import_batch'),
  }),
  'POST /api/v1/imports/{kind}/preview': async (caller) => ({
    url: '/api/v1/imports/payments/preview?fileName=matrix.csv',
    payload: paymentsCsv(caller),
    headers: { 'content-type': 'text/csv' },
  }),
  'POST /api/v1/ingest/{kind}': async (caller) => ({
    url: '/api/v1/ingest/payments',
    payload: [
      {
        payment_no: unique('MATRIX-API'),
        dealer_code: dealerCodeFor(caller),
        paid_on: '2026-10-05',
        amount: 12.5,
      },
    ],
    state: () => count('import_batch'),
  }),
  'GET /api/v1/imports': async () => ({ url: '/api/v1/imports?limit=100' }),
  'GET /api/v1/imports/{id} · A batch': async () => ({
    url: `/api/v1/imports/${await batchOf('a')}`,
  }),
  'GET /api/v1/imports/{id} · B batch': async () => ({
    url: `/api/v1/imports/${await batchOf('b')}`,
  }),
  'GET /api/v1/imports/{id}/report · A batch': async () => ({
    url: `/api/v1/imports/${await batchOf('a')}/report?format=csv`,
  }),
  'GET /api/v1/imports/{id}/report · B batch': async () => ({
    url: `/api/v1/imports/${await batchOf('b')}/report?format=xlsx`,
  }),
  'POST /api/v1/imports/report': async () => ({
    url: '/api/v1/imports/report?format=csv',
    payload: {
      fileName: 'matrix.csv',
      issues: [{ row: 2, column: 'c', field: 'f', value: 'v', reason: 'a reason' }],
    },
  }),
  'GET /api/v1/imports/templates/{kind}': async () => ({
    url: '/api/v1/imports/templates/payments',
  }),
  'GET /api/v1/import-mappings': async () => ({ url: '/api/v1/import-mappings' }),
  'PUT /api/v1/import-mappings/{name}': async () => ({
    url: `/api/v1/import-mappings/${unique('matrix-mapping')}`,
    payload: { kind: 'payments', fields: { amount: { scale: 10000 } } },
    state: () => count('import_mapping'),
  }),
  'DELETE /api/v1/import-mappings/{name} · A': async () => {
    const name = await newMapping(a.tenantId);
    return { url: `/api/v1/import-mappings/${name}`, state: () => mappingState(a.tenantId, name) };
  },
  'DELETE /api/v1/import-mappings/{name} · B': async () => {
    const name = await newMapping(b.tenantId);
    return { url: `/api/v1/import-mappings/${name}`, state: () => mappingState(b.tenantId, name) };
  },
  'GET /api/v1/policies': async () => ({ url: '/api/v1/policies' }),
  'GET /api/v1/policies/catalogue': async () => ({ url: '/api/v1/policies/catalogue' }),
  'GET /api/v1/policies/schema': async () => ({ url: '/api/v1/policies/schema' }),
  'POST /api/v1/policies/validate': async () => ({
    url: '/api/v1/policies/validate',
    payload: { document: policyDocument(policyName('check')) },
  }),
  'POST /api/v1/policies': async () => ({
    url: '/api/v1/policies',
    payload: { document: policyDocument(policyName('new')), note: 'from the matrix' },
    state: () => count('tier_policy'),
  }),
  'GET /api/v1/policies/{name} · A policy': async () => ({
    url: `/api/v1/policies/${tiering.a.policy}`,
  }),
  'GET /api/v1/policies/{name} · B policy': async () => ({
    url: `/api/v1/policies/${tiering.b.policy}`,
  }),
  'GET /api/v1/policies/{name}/versions · A policy': async () => ({
    url: `/api/v1/policies/${tiering.a.policy}/versions`,
  }),
  'GET /api/v1/policies/{name}/versions · B policy': async () => ({
    url: `/api/v1/policies/${tiering.b.policy}/versions`,
  }),
  'GET /api/v1/policies/{name}/compare · A policy': async () => ({
    url: `/api/v1/policies/${tiering.a.policy}/compare?from=1&to=2`,
  }),
  'GET /api/v1/policies/{name}/compare · B policy': async () => ({
    url: `/api/v1/policies/${tiering.b.policy}/compare?from=1&to=2`,
  }),
  'GET /api/v1/assessments': async () => ({ url: `/api/v1/assessments?period=${READ_PERIOD}` }),
  'POST /api/v1/assessments': async (caller) => {
    // A new version of the caller's own tenant's policy: a new draft, not a recomputed one.
    const tenant = caller === 'adminB' ? 'b' : 'a';
    const { name, version } = await newFlowVersion(tenant);
    return {
      url: '/api/v1/assessments',
      payload: { policy: name, version, period: await openMonth(tenant) },
      state: () => Promise.all([count('assessment_run'), count('tier_decision')]),
    };
  },
  'GET /api/v1/assessments/{id} · A run': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}`,
  }),
  'GET /api/v1/assessments/{id} · B run': async () => ({
    url: `/api/v1/assessments/${tiering.b.run}`,
  }),
  'GET /api/v1/assessments/{id}/decisions · A run': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}/decisions?limit=100`,
  }),
  'GET /api/v1/assessments/{id}/decisions · B run': async () => ({
    url: `/api/v1/assessments/${tiering.b.run}/decisions?limit=100`,
  }),
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · A 广东 1级': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}/decisions/${dealer.gdLeader.id}`,
  }),
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · A 山东 1级 active': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}/decisions/${dealer.sdActive.id}`,
  }),
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · dealer user own': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}/decisions/${dealer.own.id}`,
  }),
  'GET /api/v1/assessments/{id}/decisions/{dealerId} · B dealer': async () => ({
    url: `/api/v1/assessments/${tiering.b.run}/decisions/${dealer.b.id}`,
  }),
  'POST /api/v1/assessments/{id}/overrides · A 广东 1级': () => overrideOf(dealer.gdLeader.id),
  'POST /api/v1/assessments/{id}/overrides · A 山东 1级 active': () =>
    overrideOf(dealer.sdActive.id),
  'POST /api/v1/assessments/{id}/approve': async () => {
    const run = await newRun('draft');
    return {
      url: `/api/v1/assessments/${run}/approve`,
      state: () => runState(a.tenantId, run),
    };
  },
  'POST /api/v1/assessments/{id}/publish': async () => {
    const run = await newRun('approved');
    return {
      url: `/api/v1/assessments/${run}/publish`,
      state: () => Promise.all([runState(a.tenantId, run), currentTierState(a.tenantId)]),
    };
  },
  'POST /api/v1/assessments/{id}/discard': async () => {
    const run = await newRun('draft');
    return {
      url: `/api/v1/assessments/${run}/discard`,
      state: () => runState(a.tenantId, run),
    };
  },
  'GET /api/v1/assessments/{id}/export': async () => ({
    url: `/api/v1/assessments/${tiering.a.run}/export?format=csv`,
  }),
  'GET /api/v1/tiers/overview': async () => ({ url: '/api/v1/tiers/overview' }),
  'GET /api/v1/tiers/migration': async () => ({
    url: `/api/v1/tiers/migration?from=${PUBLISHED[0]}&to=${PUBLISHED[1]}`,
  }),
  'GET /api/v1/dealers/{id}/tier · A 广东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.gdLeader.id}/tier`,
  }),
  'GET /api/v1/dealers/{id}/tier · A 山东 2级 of 广东': async () => ({
    url: `/api/v1/dealers/${dealer.sdSub.id}/tier`,
  }),
  'GET /api/v1/dealers/{id}/tier · A 山东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.sdLeader.id}/tier`,
  }),
  'GET /api/v1/dealers/{id}/tier · A 山东 1级 active': async () => ({
    url: `/api/v1/dealers/${dealer.sdActive.id}/tier`,
  }),
  'GET /api/v1/dealers/{id}/tier · dealer user own': async () => ({
    url: `/api/v1/dealers/${dealer.own.id}/tier`,
  }),
  'GET /api/v1/dealers/{id}/tier · B dealer': async () => ({
    url: `/api/v1/dealers/${dealer.b.id}/tier`,
  }),
  'GET /api/v1/portal/tier': async () => ({ url: '/api/v1/portal/tier' }),
  'POST /api/v1/simulations': async (caller) => ({
    url: '/api/v1/simulations',
    payload: {
      policy: { name: tiering[caller === 'adminB' ? 'b' : 'a'].policy },
      from: READ_PERIOD,
      to: READ_PERIOD,
    },
  }),
  'GET /api/v1/ledger': async () => ({ url: '/api/v1/ledger' }),
  'GET /api/v1/ledger/entries': async () => ({ url: '/api/v1/ledger/entries?limit=500' }),
  'GET /api/v1/ledger/entries/{index} · A 广东 1级 decision': async (caller) => ({
    url: `/api/v1/ledger/entries/${await entryOf(caller, 'tier_decision', dealer.gdLeader.id)}`,
  }),
  'GET /api/v1/ledger/entries/{index} · A 山东 1级 active decision': async (caller) => ({
    url: `/api/v1/ledger/entries/${await entryOf(caller, 'tier_decision', dealer.sdActive.id)}`,
  }),
  'GET /api/v1/ledger/entries/{index} · dealer user own decision': async (caller) => ({
    url: `/api/v1/ledger/entries/${await entryOf(caller, 'tier_decision', dealer.own.id)}`,
  }),
  'GET /api/v1/ledger/entries/{index} · A run': async (caller) => ({
    url: `/api/v1/ledger/entries/${await entryOf(caller, 'assessment_run', null)}`,
  }),
  'GET /api/v1/ledger/entries/{index}/replay': async (caller) => ({
    url: `/api/v1/ledger/entries/${await entryOf(caller, 'tier_decision', dealer.gdLeader.id)}/replay`,
  }),
  'GET /api/v1/ledger/proofs/inclusion': async () => ({
    url: '/api/v1/ledger/proofs/inclusion?index=0',
  }),
  'GET /api/v1/ledger/proofs/consistency': async () => ({
    url: '/api/v1/ledger/proofs/consistency?from=1',
  }),
  'GET /api/v1/dealers/{id}/resume · A 广东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.gdLeader.id}/resume`,
  }),
  'GET /api/v1/dealers/{id}/resume · A 山东 1级 active': async () => ({
    url: `/api/v1/dealers/${dealer.sdActive.id}/resume`,
  }),
  'GET /api/v1/dealers/{id}/resume · B dealer': async () => ({
    url: `/api/v1/dealers/${dealer.b.id}/resume`,
  }),
  'GET /api/v1/portal/resume': async () => ({ url: '/api/v1/portal/resume' }),
  'GET /ledger/{slug}/checkpoint': async (caller) => ({
    url: `/ledger/${caller === 'adminB' ? b.slug : a.slug}/checkpoint`,
  }),
  'GET /ledger/{slug}/vkey': async (caller) => ({
    url: `/ledger/${caller === 'adminB' ? b.slug : a.slug}/vkey`,
  }),
  'GET /ledger/{slug}/tile/{*}': async (caller) => ({
    url: `/ledger/${caller === 'adminB' ? b.slug : a.slug}/tile/0/000.p/1`,
  }),
  'GET /api/v1/funds/balances': async () => {
    await mdfFixture();
    return { url: '/api/v1/funds/balances?limit=100' };
  },
  'GET /api/v1/funds/requests': async () => {
    await mdfFixture();
    return { url: '/api/v1/funds/requests?limit=100' };
  },
  'GET /api/v1/funds/claims': async () => {
    await mdfFixture();
    return { url: '/api/v1/funds/claims?limit=100' };
  },
  'GET /api/v1/funds/requests/{id} · A 广东 1级': async () => ({
    url: `/api/v1/funds/requests/${(await mdfFixture()).gdLeader.request}`,
  }),
  'GET /api/v1/funds/requests/{id} · A 山东 1级 active': async () => ({
    url: `/api/v1/funds/requests/${(await mdfFixture()).sdActive.request}`,
  }),
  'GET /api/v1/funds/requests/{id} · B dealer': async () => ({
    url: `/api/v1/funds/requests/${(await mdfFixture()).b.request}`,
  }),
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · A 广东 1级': async () =>
    mdfProofUrl('/api/v1/funds', 'gdLeader'),
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · A 山东 1级 active': async () =>
    mdfProofUrl('/api/v1/funds', 'sdActive'),
  'GET /api/v1/funds/claims/{id}/proofs/{proofId} · B dealer': async () =>
    mdfProofUrl('/api/v1/funds', 'b'),
  'GET /api/v1/portal/funds': async () => {
    await mdfFixture();
    return { url: '/api/v1/portal/funds' };
  },
  'GET /api/v1/portal/funds/claims/{id}/proofs/{proofId} · dealer user own': async () =>
    mdfProofUrl('/api/v1/portal/funds', 'own'),
  'GET /api/v1/portal/funds/claims/{id}/proofs/{proofId} · A 广东 1级': async () =>
    mdfProofUrl('/api/v1/portal/funds', 'gdLeader'),
  'POST /api/v1/funds': async (caller) => ({
    url: '/api/v1/funds',
    payload: {
      dealerId: (caller === 'adminB' ? dealer.b : dealer.gdLeader).id,
      period: '2026-Q4',
      amount: 100_000,
      claimDeadline: '2999-12-31',
    },
    state: () => count('mdf_fund'),
  }),
  'POST /api/v1/funds/requests · A 广东 1级': async () => mdfRequestPost(dealer.gdLeader.id),
  'POST /api/v1/funds/requests · A 山东 1级 active': async () => mdfRequestPost(dealer.sdActive.id),
  'POST /api/v1/funds/requests/{id}/approve · A 广东 1级': async () =>
    mdfRequestDecision('approve', dealer.gdLeader.id),
  'POST /api/v1/funds/requests/{id}/approve · A 山东 1级 active': async () =>
    mdfRequestDecision('approve', dealer.sdActive.id),
  'POST /api/v1/funds/requests/{id}/reject · A 广东 1级': async () =>
    mdfRequestDecision('reject', dealer.gdLeader.id),
  'POST /api/v1/funds/requests/{id}/reject · A 山东 1级 active': async () =>
    mdfRequestDecision('reject', dealer.sdActive.id),
  'POST /api/v1/funds/claims/{id}/approve · A 广东 1级': async () =>
    mdfClaimDecision('approve', dealer.gdLeader.id),
  'POST /api/v1/funds/claims/{id}/approve · A 山东 1级 active': async () =>
    mdfClaimDecision('approve', dealer.sdActive.id),
  'POST /api/v1/funds/claims/{id}/reject · A 广东 1级': async () =>
    mdfClaimDecision('reject', dealer.gdLeader.id),
  'POST /api/v1/funds/claims/{id}/reject · A 山东 1级 active': async () =>
    mdfClaimDecision('reject', dealer.sdActive.id),
  'POST /api/v1/funds/claims/{id}/pay · A 广东 1级': async () =>
    mdfClaimDecision('pay', dealer.gdLeader.id),
  'POST /api/v1/funds/claims/{id}/pay · B dealer': async () => mdfClaimDecision('pay', dealer.b.id),
  'POST /api/v1/portal/funds/requests': async () => {
    await mdfFixture();
    return {
      url: '/api/v1/portal/funds/requests',
      payload: MDF_REQUEST,
      state: () => count('mdf_request'),
    };
  },
  'POST /api/v1/portal/funds/requests/{id}/cancel · dealer user own': async () => {
    const id = await mdfNewRequest(dealer.own.id, 'submitted');
    return {
      url: `/api/v1/portal/funds/requests/${id}/cancel`,
      state: () => mdfState('mdf_request', id),
    };
  },
  'POST /api/v1/portal/funds/requests/{id}/cancel · A 广东 1级': async () => {
    const id = await mdfNewRequest(dealer.gdLeader.id, 'submitted');
    return {
      url: `/api/v1/portal/funds/requests/${id}/cancel`,
      state: () => mdfState('mdf_request', id),
    };
  },
  'POST /api/v1/portal/funds/requests/{id}/claims · dealer user own': async () => {
    const id = await mdfNewRequest(dealer.own.id, 'approved');
    return {
      url: `/api/v1/portal/funds/requests/${id}/claims`,
      payload: MDF_CLAIM,
      state: () => Promise.all([count('mdf_claim'), count('mdf_proof')]),
    };
  },
  'POST /api/v1/portal/funds/requests/{id}/claims · A 广东 1级': async () => {
    const id = await mdfNewRequest(dealer.gdLeader.id, 'approved');
    return {
      url: `/api/v1/portal/funds/requests/${id}/claims`,
      payload: MDF_CLAIM,
      state: () => Promise.all([count('mdf_claim'), count('mdf_proof')]),
    };
  },
  'GET /api/v1/rebates/programs': async () => ({ url: '/api/v1/rebates/programs' }),
  'POST /api/v1/rebates/programs': async () => ({
    url: '/api/v1/rebates/programs',
    payload: rebateProgram(unique('matrix')),
    state: () => count('rebate_program'),
  }),
  'GET /api/v1/rebates/programs/{id} · A program': async () => ({
    url: `/api/v1/rebates/programs/${rebatePrograms.a}`,
  }),
  'GET /api/v1/rebates/programs/{id} · B program': async () => ({
    url: `/api/v1/rebates/programs/${rebatePrograms.b}`,
  }),
  'PATCH /api/v1/rebates/programs/{id} · A program': async (caller) => ({
    url: `/api/v1/rebates/programs/${rebatePrograms.a}`,
    payload: { name: `Renamed by ${caller}` },
    state: () => rebateProgramState(rebatePrograms.a),
  }),
  'PATCH /api/v1/rebates/programs/{id} · B program': async (caller) => ({
    url: `/api/v1/rebates/programs/${rebatePrograms.b}`,
    payload: { name: `Renamed by ${caller}` },
    state: () => rebateProgramState(rebatePrograms.b),
  }),
  'GET /api/v1/rebates/preview': async () => ({
    url: `/api/v1/rebates/preview?program=${REBATE_CODE}&period=${REBATE_PERIOD}&limit=100`,
  }),
  'GET /api/v1/rebates/preview/export': async () => ({
    url: `/api/v1/rebates/preview/export?program=${REBATE_CODE}&period=${REBATE_PERIOD}&format=csv`,
  }),
  'GET /api/v1/rebates/settlements': async () => ({
    url: `/api/v1/rebates/settlements?program=${REBATE_CODE}&limit=100`,
  }),
  'POST /api/v1/rebates/settlements': async () => ({
    url: '/api/v1/rebates/settlements',
    payload: { program: REBATE_CODE, period: REBATE_PERIOD },
    state: () => Promise.all([count('rebate_settlement'), count('ledger_entry')]),
  }),
  'GET /api/v1/portal/rebates': async () => ({ url: '/api/v1/portal/rebates' }),
  'GET /api/v1/benefits': async () => ({ url: '/api/v1/benefits' }),
  'GET /api/v1/benefits/values': async (caller) => ({
    url: `/api/v1/benefits/values?policy=${tiering[caller === 'adminB' ? 'b' : 'a'].policy}`,
  }),
  'GET /api/v1/dealers/{id}/package · A 广东 1级': async () => ({
    url: `/api/v1/dealers/${dealer.gdLeader.id}/package`,
  }),
  'GET /api/v1/dealers/{id}/package · A 山东 1级 active': async () => ({
    url: `/api/v1/dealers/${dealer.sdActive.id}/package`,
  }),
  'GET /api/v1/dealers/{id}/package · dealer user own': async () => ({
    url: `/api/v1/dealers/${dealer.own.id}/package`,
  }),
  'GET /api/v1/dealers/{id}/package · B dealer': async () => ({
    url: `/api/v1/dealers/${dealer.b.id}/package`,
  }),
  'GET /api/v1/portal/package': async () => ({ url: '/api/v1/portal/package' }),
  'GET /api/v1/allocations': async () => ({ url: '/api/v1/allocations' }),
  'GET /api/v1/allocations/{id} · A allocation': async () => ({
    url: `/api/v1/allocations/${resources.a.allocation}`,
  }),
  'GET /api/v1/allocations/{id} · B allocation': async () => ({
    url: `/api/v1/allocations/${resources.b.allocation}`,
  }),
  'GET /api/v1/allocations/{id}/lines · A allocation': async () => ({
    url: `/api/v1/allocations/${resources.a.allocation}/lines?limit=100`,
  }),
  'GET /api/v1/allocations/{id}/lines · B allocation': async () => ({
    url: `/api/v1/allocations/${resources.b.allocation}/lines?limit=100`,
  }),
  'GET /api/v1/allocations/{id}/export': async () => ({
    url: `/api/v1/allocations/${resources.a.allocation}/export?format=csv`,
  }),
  'GET /api/v1/resources/roi': async () => ({
    url: '/api/v1/resources/roi?from=2026-01&to=2031-12',
  }),
  'POST /api/v1/benefits': async () => ({
    url: '/api/v1/benefits',
    payload: {
      code: `mx_${unique('b').slice(2)}`,
      name: 'Matrix benefit',
      kind: 'custom',
      unit: 'text',
    },
    state: () => count('benefit'),
  }),
  'PATCH /api/v1/benefits/{id} · A benefit': async (caller) => ({
    url: `/api/v1/benefits/${resources.a.benefit}`,
    payload: { description: `Described by ${caller}` },
    state: () => benefitState(resources.a.benefit),
  }),
  'PATCH /api/v1/benefits/{id} · B benefit': async (caller) => ({
    url: `/api/v1/benefits/${resources.b.benefit}`,
    payload: { description: `Described by ${caller}` },
    state: () => benefitState(resources.b.benefit),
  }),
  'PUT /api/v1/benefits/values': async (caller) => ({
    url: '/api/v1/benefits/values',
    payload: {
      policy: tiering[caller === 'adminB' ? 'b' : 'a'].policy,
      version: 1,
      values: { [BENEFIT_CODE]: { strategic: 300, core: 200 } },
    },
    state: () => Promise.all([benefitValueState(), count('ledger_entry')]),
  }),
  'POST /api/v1/allocations': async () => ({
    url: '/api/v1/allocations',
    payload: { period: nextAllocationPeriod(), pool: 1_000_000 },
    state: () => Promise.all([count('budget_allocation'), count('budget_allocation_line')]),
  }),
  'POST /api/v1/allocations/{id}/publish': async () => {
    const id = await newAllocation(a.tenantId);
    return {
      url: `/api/v1/allocations/${id}/publish`,
      state: () => Promise.all([allocationState(id), count('ledger_entry')]),
    };
  },
  'POST /api/v1/allocations/{id}/discard': async () => {
    const id = await newAllocation(a.tenantId);
    return { url: `/api/v1/allocations/${id}/discard`, state: () => allocationState(id) };
  },
  'GET /api/v1/notifications/channels': async () => {
    await notifyFixture();
    return { url: '/api/v1/notifications/channels' };
  },
  'GET /api/v1/notifications/deliveries': async () => {
    await notifyFixture();
    return { url: '/api/v1/notifications/deliveries?limit=500' };
  },
  'POST /api/v1/notifications/channels': async () => ({
    url: '/api/v1/notifications/channels',
    payload: {
      name: unique('matrix-new-channel'),
      kind: 'webhook',
      config: { url: 'https://hooks.example.com/matrix' },
      secret: 'matrix-secret',
    },
    state: () => count('notification_channel'),
  }),
  'PATCH /api/v1/notifications/channels/{id} · A channel': async () => {
    const id = (await notifyFixture()).a;
    return {
      url: `/api/v1/notifications/channels/${id}`,
      payload: { minSeverity: 'critical', regionCodes: ['440000'] },
      state: () => notifyState('notification_channel', id),
    };
  },
  'PATCH /api/v1/notifications/channels/{id} · B channel': async () => {
    const id = (await notifyFixture()).b;
    return {
      url: `/api/v1/notifications/channels/${id}`,
      payload: { minSeverity: 'critical', regionCodes: ['440000'] },
      state: () => notifyState('notification_channel', id),
    };
  },
  'POST /api/v1/notifications/channels/{id}/test · A channel': async () => ({
    url: `/api/v1/notifications/channels/${(await notifyFixture()).a}/test`,
    state: () => count('notification_delivery'),
  }),
  'POST /api/v1/notifications/channels/{id}/test · B channel': async () => ({
    url: `/api/v1/notifications/channels/${(await notifyFixture()).b}/test`,
    state: () => count('notification_delivery'),
  }),
  'POST /api/v1/notifications/deliveries/{id}/retry · A delivery': async () => {
    const id = await newDeadDelivery('a');
    return {
      url: `/api/v1/notifications/deliveries/${id}/retry`,
      state: () => notifyState('notification_delivery', id),
    };
  },
  'POST /api/v1/notifications/deliveries/{id}/retry · B delivery': async () => {
    const id = await newDeadDelivery('b');
    return {
      url: `/api/v1/notifications/deliveries/${id}/retry`,
      state: () => notifyState('notification_delivery', id),
    };
  },
  'DELETE /api/v1/notifications/channels/{id} · A channel': async () => {
    const id = await newNotifyChannel('a');
    return {
      url: `/api/v1/notifications/channels/${id}`,
      state: () => notifyState('notification_channel', id),
    };
  },
  'DELETE /api/v1/notifications/channels/{id} · B channel': async () => {
    const id = await newNotifyChannel('b');
    return {
      url: `/api/v1/notifications/channels/${id}`,
      state: () => notifyState('notification_channel', id),
    };
  },
  'GET /api/v1/alerts': async () => {
    await alertReads();
    return { url: '/api/v1/alerts?limit=100' };
  },
  'GET /api/v1/alerts/rules': async () => {
    await alertReads();
    return { url: '/api/v1/alerts/rules' };
  },
  'GET /api/v1/alerts/rules/catalogue': async () => ({ url: '/api/v1/alerts/rules/catalogue' }),
  'GET /api/v1/alerts/rules/{code} · A rule': async () => ({
    url: `/api/v1/alerts/rules/${await alertRule('a')}`,
  }),
  'GET /api/v1/alerts/rules/{code} · B rule': async () => ({
    url: `/api/v1/alerts/rules/${await alertRule('b')}`,
  }),
  'GET /api/v1/alerts/{id} · A 广东 1级': async () => ({
    url: `/api/v1/alerts/${(await alertReads()).gdLeader}`,
  }),
  'GET /api/v1/alerts/{id} · A 山东 1级 active': async () => ({
    url: `/api/v1/alerts/${(await alertReads()).sdActive}`,
  }),
  'GET /api/v1/alerts/{id} · B dealer': async () => ({
    url: `/api/v1/alerts/${(await alertReads()).b}`,
  }),
  'GET /api/v1/dealers/{id}/health · A 广东 1级': async () => {
    await alertReads();
    return { url: `/api/v1/dealers/${dealer.gdLeader.id}/health` };
  },
  'GET /api/v1/dealers/{id}/health · A 山东 1级 active': async () => {
    await alertReads();
    return { url: `/api/v1/dealers/${dealer.sdActive.id}/health` };
  },
  'GET /api/v1/dealers/{id}/health · B dealer': async () => {
    await alertReads();
    return { url: `/api/v1/dealers/${dealer.b.id}/health` };
  },
  'GET /api/v1/portal/alerts': async () => {
    await alertReads();
    return { url: '/api/v1/portal/alerts' };
  },
  'GET /api/v1/alerts/assignees': async () => ({ url: '/api/v1/alerts/assignees' }),
  'GET /api/v1/alerts/assignees · A 广东 1级': async () => ({
    url: `/api/v1/alerts/assignees?dealerId=${dealer.gdLeader.id}`,
  }),
  'GET /api/v1/alerts/assignees · A 山东 1级 active': async () => ({
    url: `/api/v1/alerts/assignees?dealerId=${dealer.sdActive.id}`,
  }),
  'GET /api/v1/alerts/assignees · B dealer': async () => ({
    url: `/api/v1/alerts/assignees?dealerId=${dealer.b.id}`,
  }),
  'POST /api/v1/alerts/rules': async () => ({
    url: '/api/v1/alerts/rules',
    payload: { document: alertRuleDocument(`matrix_${unique('n').slice(2)}`), note: 'matrix' },
    state: () => count('alert_rule'),
  }),
  'POST /api/v1/alerts/rules/preview': async () => ({
    url: '/api/v1/alerts/rules/preview',
    payload: {
      document: {
        ...alertRuleDocument('matrix_preview'),
        params: { measure: 'sales_amount', op: '>=', value: 0, periods: 1 },
      },
      from: '2026-07',
      to: '2026-08',
    },
  }),
  'POST /api/v1/alerts/rules/{code}/versions · A rule': async () => {
    const code = await alertRule('a');
    return {
      url: `/api/v1/alerts/rules/${code}/versions`,
      payload: { document: alertRuleDocument(code), note: 'matrix' },
      state: () => alertRuleState(code),
    };
  },
  'POST /api/v1/alerts/rules/{code}/versions · B rule': async () => {
    const code = await alertRule('b');
    return {
      url: `/api/v1/alerts/rules/${code}/versions`,
      payload: { document: alertRuleDocument(code), note: 'matrix' },
      state: () => alertRuleState(code),
    };
  },
  'PATCH /api/v1/alerts/rules/{code} · A rule': async () => {
    const code = await alertRule('a');
    return {
      url: `/api/v1/alerts/rules/${code}`,
      payload: { enabled: false, note: 'matrix' },
      state: () => alertRuleState(code),
    };
  },
  'PATCH /api/v1/alerts/rules/{code} · B rule': async () => {
    const code = await alertRule('b');
    return {
      url: `/api/v1/alerts/rules/${code}`,
      payload: { enabled: false, note: 'matrix' },
      state: () => alertRuleState(code),
    };
  },
  'POST /api/v1/alerts/evaluate': async () => {
    await alertReads();
    return {
      url: '/api/v1/alerts/evaluate',
      payload: { asOf: '2026-08' },
      state: () => Promise.all([count('alert'), count('alert_rule'), count('alert_event')]),
    };
  },
  'POST /api/v1/alerts/{id}/acknowledge · A 广东 1级': () =>
    alertAction('acknowledge', dealer.gdLeader.id, { comment: 'matrix' }),
  'POST /api/v1/alerts/{id}/acknowledge · A 山东 1级 active': () =>
    alertAction('acknowledge', dealer.sdActive.id, { comment: 'matrix' }),
  'POST /api/v1/alerts/{id}/resolve · A 广东 1级': () =>
    alertAction('resolve', dealer.gdLeader.id, { note: 'matrix' }),
  'POST /api/v1/alerts/{id}/resolve · A 山东 1级 active': () =>
    alertAction('resolve', dealer.sdActive.id, { note: 'matrix' }),
  'POST /api/v1/alerts/{id}/dismiss · A 广东 1级': () =>
    alertAction('dismiss', dealer.gdLeader.id, { reason: 'matrix: a false alarm' }),
  'POST /api/v1/alerts/{id}/dismiss · A 山东 1级 active': () =>
    alertAction('dismiss', dealer.sdActive.id, { reason: 'matrix: a false alarm' }),
  'POST /api/v1/alerts/{id}/comments · A 广东 1级': () =>
    alertAction('comments', dealer.gdLeader.id, { text: 'matrix' }),
  'POST /api/v1/alerts/{id}/comments · A 山东 1级 active': () =>
    alertAction('comments', dealer.sdActive.id, { text: 'matrix' }),
  'POST /api/v1/alerts/{id}/assign · A 广东 1级': () =>
    alertAction('assign', dealer.gdLeader.id, { ownerUserId: user.adminA.id }),
  'POST /api/v1/alerts/{id}/assign · A 山东 1级 active': () =>
    alertAction('assign', dealer.sdActive.id, { ownerUserId: user.adminA.id }),
};

// Alerts: per tenant a rule that never holds (for the rule rows), and open alerts under
// disabled rules of their own — for reading, and one new alert per call of a lifecycle row, so
// that every caller finds one open. All made by the CLI.
function alertRuleDocument(code: string, enabled = true) {
  return {
    code,
    name: '矩阵规则',
    kind: 'threshold',
    severity: 'warning',
    enabled,
    params: { measure: 'sales_amount', op: '<', value: 0, periods: 1 },
  };
}

const alertRules: Partial<Record<'a' | 'b', Promise<string>>> = {};
function alertRule(tenant: 'a' | 'b'): Promise<string> {
  alertRules[tenant] ??= (async () => {
    const code = `matrix_${unique('r').slice(2)}`;
    const tenantId = tenantIdOf(tenant);
    await withTenant(db(), tenantId, (trx) =>
      saveAlertRule(trx, tenantId, alertRuleDocument(code), 'matrix', CLI, { kind: 'create' }),
    );
    return code;
  })();
  return alertRules[tenant];
}

async function newAlert(tenant: 'a' | 'b', dealerId: number): Promise<number> {
  const tenantId = tenantIdOf(tenant);
  const code = `matrix_${unique('x').slice(2)}`;
  const rule = await withTenant(db(), tenantId, (trx) =>
    saveAlertRule(trx, tenantId, alertRuleDocument(code, false), 'matrix', CLI, { kind: 'create' }),
  );
  const evidence = { summary: { zh: '矩阵', en: 'matrix' }, measure: null, points: [], items: [] };
  const row = await db()
    .insertInto('alert')
    .values({
      tenant_id: tenantId,
      rule_id: rule.id,
      rule_code: code,
      rule_version: rule.version,
      kind: 'threshold',
      dealer_id: dealerId,
      status: 'open',
      severity: 'warning',
      title: '矩阵预警',
      title_en: 'Matrix alert',
      month: '2026-08',
      evidence: JSON.stringify(evidence),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let alertReadsMade: Promise<Record<'gdLeader' | 'sdActive' | 'own' | 'b', number>> | undefined;
function alertReads() {
  alertReadsMade ??= (async () => {
    await alertRule('a');
    await alertRule('b');
    return {
      gdLeader: await newAlert('a', dealer.gdLeader.id),
      sdActive: await newAlert('a', dealer.sdActive.id),
      own: await newAlert('a', dealer.own.id),
      b: await newAlert('b', dealer.b.id),
    };
  })();
  return alertReadsMade;
}

async function alertAction(
  path: string,
  dealerId: number,
  payload: Record<string, unknown>,
): Promise<Target> {
  const id = await newAlert('a', dealerId);
  return {
    url: `/api/v1/alerts/${id}/${path}`,
    payload,
    state: async () =>
      (
        await sql`
          select status, owner_user_id, resolution, resolved_at,
            (select count(*)::int from alert_event e
             where e.tenant_id = a.tenant_id and e.alert_id = a.id) as events
          from alert a where a.tenant_id = ${a.tenantId} and a.id = ${id}`.execute(db())
      ).rows,
  };
}

async function alertRuleState(code: string) {
  const { rows } = await sql`
    select tenant_id, version, enabled from alert_rule where code = ${code} order by tenant_id, version`.execute(
    db(),
  );
  return rows;
}

// Notifications: each tenant's channel points to a loopback address, which the server refuses
// to send to (no TIERLINE_NOTIFY_ALLOW_PRIVATE here), so test and retry log a failed attempt
// without any network. Made by the CLI; A's channel name is A's, B's is B's.
let notifyFixtures: Promise<Record<'a' | 'b', number>> | undefined;

async function newNotifyChannel(tenant: 'a' | 'b', name = unique('matrix-channel')) {
  return insertChannel(
    db(),
    tenantIdOf(tenant),
    {
      name,
      kind: 'webhook',
      config: { url: 'http://127.0.0.1:9/matrix' },
      secret: 'matrix-secret',
      minSeverity: 'info',
      events: ['opened'],
      regionCodes: null,
      enabled: true,
    },
    'cli:matrix',
  );
}

function notifyFixture() {
  notifyFixtures ??= (async () => {
    const aName = unique('A专属渠道');
    const bName = unique('B专属渠道');
    strings.aTenant.push(aName);
    strings.b.push(bName);
    const fixture = {
      a: await newNotifyChannel('a', aName),
      b: await newNotifyChannel('b', bName),
    };
    await newDeadDelivery('a', fixture.a);
    await newDeadDelivery('b', fixture.b);
    return fixture;
  })();
  return notifyFixtures;
}

/** A dead test delivery of the tenant's fixture channel. */
async function newDeadDelivery(tenant: 'a' | 'b', channel?: number): Promise<number> {
  const tenantId = tenantIdOf(tenant);
  const channelId = channel ?? (await notifyFixture())[tenant];
  const row = await db()
    .selectFrom('tenant')
    .select(['id', 'slug', 'name', 'locale', 'time_zone as timeZone'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const payload = testPayload(row, 'matrix', new Date(), null);
  const [id] = await insertDeliveries(db(), tenantId, [
    { channelId, event: 'test', alertId: null, payload, nextAttemptAt: null },
  ]);
  await db()
    .updateTable('notification_delivery')
    .set({ status: 'dead', attempts: 1, last_error: 'matrix' })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id!)
    .execute();
  return id!;
}

async function notifyState(table: 'notification_channel' | 'notification_delivery', id: number) {
  const row = sql`select to_jsonb(x) as row from ${sql.table(table)} x where id = ${id}`;
  return (await row.execute(db())).rows;
}

/** The rebate program of each tenant (same code), with an interim settlement by the CLI. */
const REBATE_CODE = 'matrix-rebate';
const REBATE_PERIOD = '2026-Q3';
const rebatePrograms = { a: 0, b: 0 };

function rebateProgram(code: string) {
  return {
    code,
    name: 'Matrix rebate',
    periodKind: 'quarterly' as const,
    basis: 'sales' as const,
    method: 'retroactive' as const,
    ladders: {
      default: [
        { from: 0, to: 1_000_000, rateBasisPoints: 100 },
        { from: 1_000_000, to: null, rateBasisPoints: 200 },
      ],
      tiers: {},
    },
    active: true,
  };
}

async function rebateProgramState(id: number) {
  const { rows } = await sql`
    select name, ladders, active, updated_at from rebate_program where id = ${id}`.execute(db());
  return rows;
}

/** Each tenant's benefit (with values) and published allocation, made by the CLI. */
const BENEFIT_CODE = 'matrix_rebate';
const resources = {} as Record<'a' | 'b', { benefit: number; allocation: number }>;
/** Allocations made by rows get periods of their own, one month apart. */
let allocationMonths = 0;

function nextAllocationPeriod(): string {
  return addMonths('2030-01', allocationMonths++);
}

async function benefitState(id: number) {
  const { rows } = await sql`
    select name, kind, description, archived_at from benefit where id = ${id}`.execute(db());
  return rows;
}

async function benefitValueState() {
  const { rows } = await sql`
    select tenant_id, policy_id, benefit_id, tier, value from benefit_value
    order by tenant_id, policy_id, benefit_id, tier`.execute(db());
  return rows;
}

async function allocationState(id: number) {
  const { rows } = await sql`
    select status, published_by, published_at from budget_allocation where id = ${id}`.execute(
    db(),
  );
  return rows;
}

/** A draft allocation of a period of its own, computed by the CLI. */
async function newAllocation(tenantId: number): Promise<number> {
  return withTenant(db(), tenantId, (trx) =>
    createAllocation(
      trx,
      tenantId,
      { period: nextAllocationPeriod(), pool: 1_000_000, purpose: 'general', dryRun: false },
      CLI,
    ),
  );
}

async function resourcesFixture(tenant: 'a' | 'b') {
  const tenantId = tenantIdOf(tenant);
  return withTenant(db(), tenantId, async (trx) => {
    const benefit = await createBenefit(
      trx,
      tenantId,
      { code: BENEFIT_CODE, name: 'Matrix rebate', kind: 'rebate_rate', unit: 'basis_points' },
      CLI,
    );
    for (const version of [1, 2]) {
      await saveBenefitValues(
        trx,
        tenantId,
        {
          policy: tiering[tenant].policy,
          version,
          values: { [BENEFIT_CODE]: { strategic: 300, core: 200, potential: 100, basic: 50 } },
        },
        CLI,
      );
    }
    const allocation = await createAllocation(
      trx,
      tenantId,
      { period: '2026-09', pool: 10_000_000, purpose: 'general', dryRun: false },
      CLI,
    );
    await publishAllocation(trx, tenantId, allocation, CLI);
    return { benefit: benefit.id, allocation };
  });
}

async function rebateFixture(tenantId: number): Promise<number> {
  return withTenant(db(), tenantId, async (trx) => {
    const program = await createRebateProgram(trx, tenantId, rebateProgram(REBATE_CODE), CLI);
    await settleRebates(
      trx,
      tenantId,
      { program: REBATE_CODE, period: REBATE_PERIOD, final: false },
      CLI,
    );
    return program.id;
  });
}

// Market development funds: everything the rows act on is made by the CLI (no user, so no
// maker-checker refusal and no login in the answers).
type MdfDealer = 'gdLeader' | 'sdActive' | 'own' | 'b';
const MDF_REQUEST = {
  title: 'Matrix request',
  amount: 100,
  activityFrom: '2026-10-01',
  activityTo: '2026-10-02',
};
const MDF_CLAIM = {
  amount: 100,
  proofs: [
    {
      fileName: 'matrix.pdf',
      contentType: 'application/pdf',
      contentBase64: Buffer.from('%PDF-1.4 matrix').toString('base64'),
    },
  ],
};
const mdfFunds = new Map<number, Promise<unknown>>();
let mdfFixtures: Promise<Record<MdfDealer, { request: number; claim: number; proof: number }>>;

function mdfTenantOf(dealerId: number): number {
  return dealerId === dealer.b.id ? b.tenantId : a.tenantId;
}

/** The dealer's fund (one, made once), then `fn` in its tenant as the CLI. */
async function mdfAs<T>(
  dealerId: number,
  fn: (trx: Parameters<typeof grantFund>[0], tenantId: number) => Promise<T>,
) {
  const tenantId = mdfTenantOf(dealerId);
  if (!mdfFunds.has(dealerId)) {
    const grant = {
      dealerId,
      period: '2026-Q4',
      amount: 1_000_000_000,
      claimDeadline: '2999-12-31',
      note: '',
    };
    mdfFunds.set(
      dealerId,
      withTenant(db(), tenantId, (trx) => grantFund(trx, tenantId, { kind: 'tenant' }, grant, CLI)),
    );
  }
  await mdfFunds.get(dealerId);
  return withTenant(db(), tenantId, (trx) => fn(trx, tenantId));
}

/** A new request of the dealer, submitted or approved. */
function mdfNewRequest(dealerId: number, status: 'submitted' | 'approved'): Promise<number> {
  return mdfAs(dealerId, async (trx, tenantId) => {
    const all = { kind: 'tenant' } as const;
    const input = { ...MDF_REQUEST, description: '' };
    const request = await submitRequest(trx, tenantId, all, dealerId, input, CLI);
    if (status === 'approved') {
      await decideRequest(trx, tenantId, all, request.id, { decision: 'approve' }, CLI);
    }
    return request.id;
  });
}

/** A new claim of the dealer (against a new approved request), submitted or approved. */
async function mdfNewClaim(
  dealerId: number,
  status: 'submitted' | 'approved',
): Promise<{ request: number; claim: number; proof: number }> {
  const request = await mdfNewRequest(dealerId, 'approved');
  return mdfAs(dealerId, async (trx, tenantId) => {
    const all = { kind: 'tenant' } as const;
    const claim = await submitClaim(trx, tenantId, all, request, { ...MDF_CLAIM, note: '' }, CLI);
    if (status === 'approved') {
      await decideClaim(trx, tenantId, all, claim.id, { decision: 'approve' }, CLI);
    }
    return { request, claim: claim.id, proof: claim.proofs[0]!.id };
  });
}

/** What the read rows read: per dealer, an approved request with a submitted claim. */
function mdfFixture() {
  mdfFixtures ??= (async () => ({
    gdLeader: await mdfNewClaim(dealer.gdLeader.id, 'submitted'),
    sdActive: await mdfNewClaim(dealer.sdActive.id, 'submitted'),
    own: await mdfNewClaim(dealer.own.id, 'submitted'),
    b: await mdfNewClaim(dealer.b.id, 'submitted'),
  }))();
  return mdfFixtures;
}

async function mdfProofUrl(prefix: string, of: MdfDealer): Promise<Target> {
  const { claim, proof } = (await mdfFixture())[of];
  return { url: `${prefix}/claims/${claim}/proofs/${proof}` };
}

async function mdfState(table: 'mdf_request' | 'mdf_claim', id: number) {
  const row = sql`select to_jsonb(x) as row from ${sql.table(table)} x where id = ${id}`;
  const { rows } = await row.execute(db());
  return rows;
}

async function mdfRequestPost(dealerId: number): Promise<Target> {
  await mdfAs(dealerId, async () => undefined);
  return {
    url: '/api/v1/funds/requests',
    payload: { ...MDF_REQUEST, dealerId },
    state: () => count('mdf_request'),
  };
}

async function mdfRequestDecision(verb: 'approve' | 'reject', dealerId: number): Promise<Target> {
  const id = await mdfNewRequest(dealerId, 'submitted');
  return {
    url: `/api/v1/funds/requests/${id}/${verb}`,
    ...(verb === 'reject' ? { payload: { reason: 'matrix: not in the plan' } } : {}),
    state: () => Promise.all([mdfState('mdf_request', id), count('ledger_entry')]),
  };
}

async function mdfClaimDecision(
  verb: 'approve' | 'reject' | 'pay',
  dealerId: number,
): Promise<Target> {
  const { claim } = await mdfNewClaim(dealerId, verb === 'pay' ? 'approved' : 'submitted');
  const payload =
    verb === 'reject'
      ? { reason: 'matrix: proof unreadable' }
      : verb === 'pay'
        ? { paymentReference: 'MATRIX-PAY-1' }
        : undefined;
  return {
    url: `/api/v1/funds/claims/${claim}/${verb}`,
    ...(payload ? { payload } : {}),
    state: () => Promise.all([mdfState('mdf_claim', claim), count('ledger_entry')]),
  };
}

/**
 * The newest ledger entry of A of a kind (and dealer). Tenant B's admin asks for an index past
 * the end of both logs: its own log may hold A's index, and the RLS tests cover the rest.
 */
async function entryOf(caller: Caller, kind: string, dealerId: number | null): Promise<number> {
  let qb = db()
    .selectFrom('ledger_entry')
    .select('idx')
    .where('tenant_id', '=', a.tenantId)
    .where('kind', '=', kind);
  if (dealerId !== null) qb = qb.where('dealer_id', '=', dealerId);
  const row = await qb.orderBy('idx', 'desc').limit(1).executeTakeFirstOrThrow();
  return caller === 'adminB' ? row.idx + 1_000_000 : row.idx;
}

/** What the fixture's policies and runs are made by: no user (no login, no maker-checker). */
const CLI: AuditOrigin = {
  actor: { kind: 'cli', id: null, name: 'cli:matrix' },
  ip: null,
  userAgent: null,
};
/** Each tenant publishes these months in `beforeAll`; the rows read the last one. */
const PUBLISHED = ['2026-07', '2026-08'] as const;
const READ_PERIOD = PUBLISHED[1];
/**
 * Per tenant: a policy of two versions that made the published runs, the last of those runs,
 * and a policy that gets a new version for each new run a row needs.
 */
const tiering = {} as Record<'a' | 'b', { policy: string; run: number; flow: string }>;

/** A policy name (lower case, digits and _), unique. */
function policyName(label: string): string {
  return `matrix_${label}_${unique('p').slice(2)}`;
}

function policyDocument(name: string, description = '') {
  return { ...defaultPolicy('2025-01'), name, description };
}

function tenantIdOf(tenant: 'a' | 'b'): number {
  return (tenant === 'a' ? a : b).tenantId;
}

/** The month after the tenant's latest published period: a run of it may still be published. */
async function openMonth(tenant: 'a' | 'b'): Promise<string> {
  const { rows } = await sql<{ last: string | null }>`
    select to_char(max(period_to), 'YYYY-MM') as last from assessment_run
    where tenant_id = ${tenantIdOf(tenant)} and status = 'published'`.execute(db());
  return addMonths(rows[0]!.last!, 1);
}

async function newFlowVersion(tenant: 'a' | 'b') {
  const tenantId = tenantIdOf(tenant);
  return withTenant(db(), tenantId, (trx) =>
    createPolicyVersion(trx, tenantId, policyDocument(tiering[tenant].flow), 'matrix', CLI),
  );
}

/** A new run of A in its open month, computed (and approved) by the CLI. */
async function newRun(status: 'draft' | 'approved'): Promise<number> {
  const { name, version } = await newFlowVersion('a');
  const period = await openMonth('a');
  return withTenant(db(), a.tenantId, async (trx) => {
    const run = await createRun(trx, a.tenantId, { policy: name, version, period }, CLI);
    if (status === 'approved') await approveRun(trx, a.tenantId, run.id, CLI);
    return run.id;
  });
}

async function overrideOf(dealerId: number): Promise<Target> {
  const run = await newRun('draft');
  return {
    url: `/api/v1/assessments/${run}/overrides`,
    payload: { dealerId, kind: 'once', tier: 'core', reason: 'matrix: a promised campaign' },
    state: async () => [
      await runState(a.tenantId, run),
      (
        await sql`
          select dealer_id, tier, override_kind, override_by from tier_decision
          where tenant_id = ${a.tenantId} and run_id = ${run} order by dealer_id`.execute(db())
      ).rows,
      (
        await sql`
          select id, revoked_at from tier_override
          where tenant_id = ${a.tenantId} and dealer_id = ${dealerId} order by id`.execute(db())
      ).rows,
    ],
  };
}

async function runState(tenantId: number, id: number) {
  const { rows } = await sql`
    select status, approved_by, approved_at, published_by, published_at, counts, overrides
    from assessment_run where tenant_id = ${tenantId} and id = ${id}`.execute(db());
  return rows;
}

async function currentTierState(tenantId: number) {
  const { rows } = await sql`
    select dealer_id, tier, standing, period, run_id from dealer_tier
    where tenant_id = ${tenantId} order by dealer_id`.execute(db());
  return rows;
}

/** A tenant's policy of two versions and its published runs of PUBLISHED, by the CLI. */
async function publishedTiering(tenantId: number, description: string) {
  const policy = policyName('read');
  return withTenant(db(), tenantId, async (trx) => {
    const document = policyDocument(policy, description);
    await createPolicyVersion(trx, tenantId, document, 'first', CLI);
    const stricter = {
      method: 'thresholds',
      minScores: { strategic: 72, core: 55, potential: 40 },
    };
    await createPolicyVersion(trx, tenantId, { ...document, assignment: stricter }, 'next', CLI);
    let run = 0;
    for (const period of PUBLISHED) {
      run = (await createRun(trx, tenantId, { policy, period }, CLI)).id;
      await approveRun(trx, tenantId, run, CLI);
      await publishRun(trx, tenantId, run, CLI);
    }
    return { policy, run, flow: policyName('flow') };
  });
}

/** A dealer of the caller's own tenant, for the rows of an import. */
function dealerCodeFor(caller: Caller): string {
  return caller === 'adminB' ? dealer.b.code : dealer.gdLeader.code;
}

function paymentsCsv(caller: Caller): string {
  return `回款单号,经销商编码,回款日期,回款金额\n${unique('MATRIX')},${dealerCodeFor(caller)},2026-10-05,8.00\n`;
}

/** A rejected batch of each tenant (an unknown dealer), made once, by the CLI. */
const batches: Partial<Record<'a' | 'b', Promise<number>>> = {};
function batchOf(tenant: 'a' | 'b'): Promise<number> {
  batches[tenant] ??= runImport(store, {
    tenantId: (tenant === 'a' ? a : b).tenantId,
    mapping: ImportMapping.parse({ kind: 'payments' }),
    fileName: 'matrix-batch.csv',
    input: Readable.from([
      Buffer.from('回款单号,经销商编码,回款日期,回款金额\nMB-1,NO-SUCH-DEALER,2026-10-05,1\n'),
    ]),
    origin: { actor: { kind: 'cli', id: null, name: 'cli:matrix' }, ip: null, userAgent: null },
    source: 'file',
  }).then((result) => result.batchId!);
  return batches[tenant];
}

async function newMapping(tenantId: number): Promise<string> {
  const name = unique('matrix-mapping');
  await saveMapping(db(), tenantId, name, ImportMapping.parse({ kind: 'dealers' }), 'test', true);
  return name;
}

async function mappingState(tenantId: number, name: string) {
  const { rows } = await sql`
    select kind, mapping from import_mapping
    where tenant_id = ${tenantId} and name = ${name}`.execute(db());
  return rows;
}

// Strings that identify data, per owner; a caller must never receive those it may not see.
const strings = {
  aTenant: [] as string[],
  aDealers: {} as Record<
    'gdLeader' | 'gdSub' | 'sdSub' | 'sdLeader' | 'sdActive' | 'own',
    string[]
  >,
  aLogins: {} as Record<string, string>,
  b: [] as string[],
};

function aDealerStrings(except: readonly string[] = []): string[] {
  return Object.entries(strings.aDealers)
    .filter(([key]) => !except.includes(key))
    .flatMap(([, values]) => values);
}

/** A's logins other than the caller's own and the sign-in row's user (whose login is sent). */
function aLoginsExcept(...own: string[]): string[] {
  return Object.entries(strings.aLogins)
    .filter(([key]) => !own.includes(key) && key !== 'signInA')
    .map(([, login]) => login);
}

function invisibleTo(caller: Caller): string[] {
  switch (caller) {
    case 'adminA':
    case 'adminA2ClaimsB':
      return strings.b;
    case 'analystA':
      return [...strings.b, ...aLoginsExcept('analystA'), ...tokenNames.a];
    case 'managerA':
      return [
        ...strings.b,
        ...strings.aDealers.sdLeader,
        ...strings.aDealers.sdActive,
        ...aLoginsExcept('managerA'),
        ...tokenNames.a,
      ];
    case 'dealerA':
      return [
        ...strings.b,
        ...aDealerStrings(['own']),
        ...aLoginsExcept('dealerA'),
        ...tokenNames.a,
      ];
    case 'readToken':
    case 'ingestToken':
      return [...strings.b, ...aLoginsExcept(), ...tokenNames.a];
    case 'adminB':
      return [...strings.aTenant, ...aDealerStrings(), ...aLoginsExcept(), ...tokenNames.a];
    case 'anonymous':
    case 'revokedToken':
    case 'expiredToken':
    case 'garbageBearer':
    case 'foreignToken':
    case 'tamperedCookie':
    case 'expiredCookie':
    case 'disabledUser':
    case 'foreignCookie':
      // The sign-in row answers with tenant A and its user: that is what was asked for.
      return [...strings.b, ...aDealerStrings(), ...aLoginsExcept(), ...tokenNames.a];
  }
}

/** Every identifying string of both tenants: none may appear in a denied answer. */
function everything(): string[] {
  return [
    ...strings.aTenant,
    ...aDealerStrings(),
    ...Object.values(strings.aLogins),
    ...tokenNames.a,
    ...strings.b,
  ];
}

const CODE_OF_STATUS: Record<number, string> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
};

/** Problems with a denied answer: anything but `{error:{code,message,details?}}`, or data. */
function deniedProblems(response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return [`denied answer is not JSON: ${response.body.slice(0, 120)}`];
  }
  const error = (body as { error?: Record<string, unknown> }).error;
  if (
    typeof body !== 'object' ||
    body === null ||
    Object.keys(body).join() !== 'error' ||
    typeof error !== 'object' ||
    error === null
  ) {
    return [`denied answer is not an error body: ${response.body.slice(0, 200)}`];
  }
  const keys = Object.keys(error).sort().join();
  if (keys !== 'code,message' && keys !== 'code,details,message') {
    problems.push(`error has keys ${keys}`);
  }
  if (error['code'] !== CODE_OF_STATUS[response.statusCode]) {
    problems.push(`status ${response.statusCode} with code ${String(error['code'])}`);
  }
  if (typeof error['message'] !== 'string') problems.push('error.message is not a string');
  const details = error['details'];
  if (details !== undefined) {
    const flat =
      typeof details === 'object' &&
      details !== null &&
      Object.values(details).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    if (!flat) problems.push(`error.details is not a flat object: ${JSON.stringify(details)}`);
  }
  for (const text of everything()) {
    if (response.body.includes(text)) problems.push(`denied answer contains "${text}"`);
  }
  return problems;
}

beforeAll(async () => {
  store = await createTestStore();
  const d = db();
  a = await makeChannel(d);
  b = await makeChannel(d);
  const named = async (
    tenantId: number,
    label: string,
    input: Omit<Parameters<typeof makeDealer>[2], 'code' | 'name'>,
  ): Promise<Named> => {
    const code = unique(`D${label}`).toUpperCase();
    const name = unique(`经销商${label}`);
    return { id: await makeDealer(d, tenantId, { ...input, code, name }), code, name };
  };
  dealer.gdLeader = await named(a.tenantId, '广东一级', {
    region_id: a.regions.th,
    tags: ['KA'],
    channel_type: 'distributor',
  });
  dealer.gdSub = await named(a.tenantId, '广东二级', {
    region_id: a.regions.ns,
    chain_level: 2,
    parent_id: dealer.gdLeader.id,
    channel_type: 'wholesaler',
    status: 'probation',
  });
  // A sub-dealer in 山东 of a 广东 dealer: inside the 广东 manager's scope.
  dealer.sdSub = await named(a.tenantId, '山东二级', {
    region_id: a.regions.sd,
    chain_level: 2,
    parent_id: dealer.gdLeader.id,
    channel_type: 'wholesaler',
  });
  // A 山东 dealer of its own: outside it.
  dealer.sdLeader = await named(a.tenantId, '山东一级', {
    region_id: a.regions.sd,
    channel_type: 'sdonly-channel',
    status: 'terminated',
    tags: ['sdonly-tag'],
  });
  // An active 山东 dealer of its own: assessed, and outside the 广东 manager's scope.
  dealer.sdActive = await named(a.tenantId, '山东一级在营', { region_id: a.regions.sd });
  dealer.own = await named(a.tenantId, '门户经销商', { region_id: a.regions.gz });
  dealer.b = await named(b.tenantId, 'B租户', {
    region_id: b.regions.th,
    channel_type: 'bonly-channel',
    status: 'suspended',
    tags: ['bonly-tag'],
  });

  user.adminA = await makeUser(d, a.tenantId, { role: 'admin' });
  user.adminA2 = await makeUser(d, a.tenantId, { role: 'admin' });
  user.analystA = await makeUser(d, a.tenantId, { role: 'analyst' });
  user.managerA = await makeUser(d, a.tenantId, {
    role: 'channel_manager',
    regionIds: [a.regions.gd],
  });
  user.dealerA = await makeUser(d, a.tenantId, { role: 'dealer', dealerId: dealer.own.id });
  user.disabledA = await makeUser(d, a.tenantId, { role: 'admin' });
  user.signInA = await makeUser(d, a.tenantId, { role: 'analyst' });
  user.targetA = await makeUser(d, a.tenantId, { role: 'analyst' });
  user.adminB = await makeUser(d, b.tenantId, { role: 'admin' });
  user.targetB = await makeUser(d, b.tenantId, { role: 'analyst' });
  // Disabled after its session exists (the service would also have ended the session).
  await d
    .updateTable('app_user')
    .set({ status: 'disabled' })
    .where('tenant_id', '=', a.tenantId)
    .where('id', '=', user.disabledA.id)
    .execute();

  const token = async (tenantId: number, scope: 'read' | 'ingest', expiresAt: Date | null) => {
    const name = unique(`${scope}-token`);
    (tenantId === a.tenantId ? tokenNames.a : tokenNames.b).push(name);
    return insertToken(d, tenantId, { name, scope, createdBy: 'test', expiresAt });
  };
  secret.read = (await token(a.tenantId, 'read', null)).secret;
  secret.ingest = (await token(a.tenantId, 'ingest', null)).secret;
  secret.expired = (await token(a.tenantId, 'read', new Date(Date.now() - 60_000))).secret;
  const revoked = await token(a.tenantId, 'read', null);
  secret.revoked = revoked.secret;
  await d
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', a.tenantId)
    .where('id', '=', revoked.token.id)
    .execute();
  secret.b = (await token(b.tenantId, 'read', null)).secret;

  // Master data only tenant B has.
  const bProduct = unique('B专属产品');
  await d
    .insertInto('product')
    .values({
      tenant_id: b.tenantId,
      sku: unique('BSKU'),
      name: bProduct,
      category: unique('B专属品类'),
      shelf_life_days: 30,
      list_price: 100,
    })
    .execute();
  const bRegion = unique('B专属省');
  await d
    .insertInto('region')
    .values({
      tenant_id: b.tenantId,
      code: unique('BREG'),
      name: bRegion,
      level: 'province',
      parent_id: b.regions.cn,
    })
    .execute();
  bOnly.push(bProduct, bRegion);

  // Monthly rollups of every dealer, 2025-01 to 2026-12 (what an assessment reads), and then
  // each tenant's policy with its published runs of 2026-07 and 2026-08.
  await sql`
    insert into dealer_month (tenant_id, dealer_id, month, sales_amount, sales_quantity,
      order_count, order_line_count, sku_count, new_product_amount, ordering_outlet_count,
      visited_outlet_count, visit_count, invoice_amount, payment_amount, target_amount,
      complaint_count, inventory_quantity, inventory_value, near_expiry_value)
    select d.tenant_id, d.id, m::date, 100000 * (1 + d.id % 5) + 1000 * extract(month from m)::int,
      100 * (1 + d.id % 5), 3 + d.id % 4, 10 + d.id % 7, 2 + d.id % 3, 5000 * (d.id % 3),
      2 + d.id % 5, 1 + d.id % 4, 4, 90000 + 1000 * (d.id % 5), 85000 + 2000 * (d.id % 4),
      110000, d.id % 2, 50 + d.id % 9, 40000, 1000 * (d.id % 3)
    from dealer d
    cross join generate_series('2025-01-01'::date, '2026-12-01'::date, interval '1 month') as m
    where d.tenant_id in (${a.tenantId}, ${b.tenantId})`.execute(d);
  const aPolicyText = unique('A专属政策');
  const bPolicyText = unique('B专属政策');
  tiering.a = await publishedTiering(a.tenantId, aPolicyText);
  tiering.b = await publishedTiering(b.tenantId, bPolicyText);
  rebatePrograms.a = await rebateFixture(a.tenantId);
  rebatePrograms.b = await rebateFixture(b.tenantId);
  resources.a = await resourcesFixture('a');
  resources.b = await resourcesFixture('b');
  bOnly.push(bPolicyText);

  const tenantA = await d
    .selectFrom('tenant')
    .selectAll()
    .where('id', '=', a.tenantId)
    .executeTakeFirstOrThrow();
  const tenantB = await d
    .selectFrom('tenant')
    .selectAll()
    .where('id', '=', b.tenantId)
    .executeTakeFirstOrThrow();
  strings.aTenant = [tenantA.slug, tenantA.name, aPolicyText];
  for (const key of ['gdLeader', 'gdSub', 'sdSub', 'sdLeader', 'sdActive', 'own'] as const) {
    strings.aDealers[key] = [dealer[key].code, dealer[key].name];
  }
  for (const key of [
    'adminA',
    'adminA2',
    'analystA',
    'managerA',
    'dealerA',
    'disabledA',
    'signInA',
    'targetA',
  ] as const) {
    strings.aLogins[key] = user[key].login;
  }
  strings.b = [
    tenantB.slug,
    tenantB.name,
    dealer.b.code,
    dealer.b.name,
    'bonly-channel',
    'bonly-tag',
    user.adminB.login,
    user.targetB.login,
    ...tokenNames.b,
    ...bOnly,
  ];

  app = await buildApp({
    db: d,
    engine: store.engine,
    defaultTenant: a.slug,
    store,
    version: 'test',
    // The sign-in row signs in once per caller; the rate limit has its own tests.
    signInRateLimit: { max: 10_000, windowMs: 60_000 },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.destroy();
});

interface OpenApi {
  paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
}

async function openApiRoutes(): Promise<Map<string, { security?: Record<string, unknown>[] }>> {
  const doc = (await app.inject('/api/openapi.json')).json<OpenApi>();
  const routes = new Map<string, { security?: Record<string, unknown>[] }>();
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      routes.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
  return routes;
}

/**
 * Every (method, path) that the router holds, from `printRoutes` (a tree: each line's depth is
 * its indentation / 4, and its path continues its parent's). Where routes name the parameter
 * at one position differently (`POST /imports/:kind`, `GET /imports/:id`), the router keeps one
 * node, printed `:kind|:id`, and cannot say which name goes with which method: such a route
 * comes as its variants, one of which must be documented.
 */
function routerRoutes(): string[][] {
  const routes: string[][] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const path = `${stack.join('')}${match[2]}`;
    stack.push(match[2]!);
    let variants = [''];
    for (const part of path.split(/(:\w+(?:\|:\w+)+)/)) {
      const options = part.includes('|') ? part.split('|') : [part];
      variants = variants.flatMap((v) => options.map((o) => `${v}${o}`));
    }
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method) {
        routes.push(
          variants.map((v) => `${method} ${v.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}')}`),
        );
      }
    }
  }
  return routes;
}

describe('the access matrix', () => {
  it('has a row for every route of the app, and no row for a route that is gone', async () => {
    const documented = [...(await openApiRoutes()).keys()].sort();
    const covered = [...new Set(Object.keys(EXPECTED).map(routeOf))].sort();
    expect(
      documented.filter((r) => !covered.includes(r)),
      'routes without a row in EXPECTED',
    ).toEqual([]);
    expect(
      covered.filter((r) => !documented.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([]);
    expect(documented.length).toBeGreaterThanOrEqual(19);
  });

  it('leaves no API route out of the OpenAPI document (a hidden route would escape the matrix)', async () => {
    const documented = new Set((await openApiRoutes()).keys());
    const router = routerRoutes();
    const held = new Set(router.flat());
    // The parser must see what the document lists, or it is broken. (The router does not print
    // a route that ends in a wildcard after a parameter, /ledger/{slug}/tile/{*}: its row
    // requests it, which is what proves it exists.)
    expect([...documented].filter((r) => !held.has(r) && !r.endsWith('/{*}'))).toEqual([]);
    const undocumented = router
      .filter(
        ([r, ...others]) =>
          !r!.startsWith('HEAD ') &&
          / \/api\//.test(r!) &&
          ![r!, ...others].some((v) => documented.has(v)) &&
          r !== 'GET /api/openapi.json' &&
          !/ \/api\/docs(\/|$)/.test(r!),
      )
      .map((variants) => variants.join(' or '));
    expect(undocumented).toEqual([]);
  });

  it('agrees with the OpenAPI document on who may call: public routes, token routes', async () => {
    const routes = await openApiRoutes();
    for (const [key, row] of Object.entries(EXPECTED) as [RowKey, Expected][]) {
      const expected = (caller: Caller) => row[CALLERS.indexOf(caller)]!;
      const security = routes.get(routeOf(key))?.security;
      const isPublic = Array.isArray(security) && security.length === 0;
      expect(expected('anonymous') < 300, `${key}: anonymous allowed ⇔ public`).toBe(isPublic);
      const tokens = security?.some((s) => 'token' in s) ?? false;
      const tokenAllowed =
        expected('readToken') < 300 ||
        expected('ingestToken') < 300 ||
        expected('readToken') === 404 ||
        expected('ingestToken') === 404;
      expect(tokenAllowed, `${key}: a token may call ⇔ documented for tokens`).toBe(
        tokens || isPublic,
      );
    }
  });

  it('treats every broken credential alike: a bad bearer is refused, a bad cookie is ignored', () => {
    const anonymous = CALLERS.indexOf('anonymous');
    for (const [key, row] of Object.entries(EXPECTED) as [RowKey, Expected][]) {
      CALLERS.forEach((caller, index) => {
        // A bearer is checked even on public routes; a cookie that resolves to no session is
        // dropped and the caller is anonymous.
        if (BAD_BEARERS.has(caller)) expect(row[index], `${key} ${caller}`).toBe(401);
        if (BAD_COOKIES.has(caller)) {
          expect(row[index], `${key} ${caller}`).toBe(row[anonymous]);
        }
      });
    }
  });

  for (const key of Object.keys(EXPECTED) as RowKey[]) {
    it(key, async () => {
      const problems: string[] = [];
      for (const [index, caller] of CALLERS.entries()) {
        const expected = EXPECTED[key][index]!;
        const headers = await headersOf(caller);
        const target = await TARGETS[key](caller);
        const before = target.state ? await target.state() : undefined;
        const response = await app.inject({
          method: methodOf(key),
          url: target.url,
          headers: { ...headers, ...target.headers },
          ...(target.payload === undefined ? {} : { payload: target.payload }),
        });
        const status = response.statusCode;
        if (status !== expected) {
          problems.push(
            `${caller}: ${status}, expected ${expected}: ${response.body.slice(0, 160)}`,
          );
        }
        // A sign-in answers about the user it signs in, whoever sends it; the sign-in hint
        // names the server's default tenant (A) to everyone, as a sign-in page does.
        const answersAsAnonymous =
          key === 'POST /api/v1/session' || key === 'GET /api/v1/session/hint';
        const invisible = invisibleTo(answersAsAnonymous ? 'anonymous' : caller);
        for (const text of invisible) {
          if (response.body.includes(text)) problems.push(`${caller}: answer contains "${text}"`);
        }
        if (status >= 400) {
          problems.push(...deniedProblems(response).map((p) => `${caller}: ${p}`));
          if (target.state && !isDeepStrictEqual(await target.state(), before)) {
            problems.push(`${caller}: denied with ${status}, but the data changed`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("changed tenant B's user and tokens only through tenant B's admin", async () => {
    const [targetB] = await userState(b.tenantId, user.targetB.id);
    expect(targetB).toMatchObject({ display_name: 'Renamed by adminB', status: 'active' });
    expect(bTokensTried.length).toBeGreaterThan(0);
    for (const id of bTokensTried) {
      expect(await tokenState(b.tenantId, id)).toEqual([
        expect.objectContaining({ revoked_at: null }),
      ]);
    }
    // B's own token still works for B.
    const tenant = await app.inject({
      url: '/api/v1/tenant',
      headers: { authorization: `Bearer ${secret.b}` },
    });
    expect(tenant.statusCode).toBe(200);
    expect(tenant.json()).toMatchObject({ slug: b.slug });
  });

  it('answers HEAD like GET for every GET route, without a body', async () => {
    const routes = [...(await openApiRoutes()).keys()].filter((r) => r.startsWith('GET '));
    for (const route of routes) {
      const key = (Object.keys(EXPECTED) as RowKey[]).find((k) => routeOf(k) === route)!;
      const { url } = await TARGETS[key]('anonymous');
      const response = await app.inject({ method: 'HEAD', url });
      expect(response.statusCode, route).toBe(EXPECTED[key][0]);
      expect(response.body, route).toBe('');
    }
  });
});

describe('CSRF protection of cookie sessions', () => {
  it('refuses every cookie-authenticated write without the session’s X-CSRF-Token, changing nothing', async () => {
    const routes = await openApiRoutes();
    const writes = [...routes.entries()]
      .filter(([route, op]) => !route.startsWith('GET ') && (op.security?.length ?? 0) > 0)
      .map(([route]) => route);
    expect(writes.length).toBeGreaterThanOrEqual(6);
    const problems: string[] = [];
    for (const route of writes) {
      // Admin A's session; for the portal's writes, which only a dealer user may make, dealer A's.
      const rowFor = (who: 'adminA' | 'dealerA') =>
        (Object.keys(EXPECTED) as RowKey[]).find(
          (k) => routeOf(k) === route && EXPECTED[k][CALLERS.indexOf(who)]! < 300,
        );
      const who = rowFor('adminA') ? 'adminA' : 'dealerA';
      const key = rowFor(who);
      if (!key) {
        problems.push(`${route}: no row where admin A (or, in the portal, dealer A) may call it`);
        continue;
      }
      const other = await session(a.tenantId, user[who].id);
      const attempts: [string, (h: Record<string, string>) => Record<string, string>][] = [
        ['no header', ({ [CSRF_HEADER]: _, ...rest }) => rest],
        ['empty header', (h) => ({ ...h, [CSRF_HEADER]: '' })],
        ["another session's token", (h) => ({ ...h, [CSRF_HEADER]: other[CSRF_HEADER]! })],
        [
          'the token with a changed character',
          // (A token that starts with x must change too: 1 in 64 do.)
          (h) => ({
            ...h,
            [CSRF_HEADER]: `${h[CSRF_HEADER]!.startsWith('x') ? 'y' : 'x'}${h[CSRF_HEADER]!.slice(1)}`,
          }),
        ],
      ];
      for (const [label, alter] of attempts) {
        const headers = await session(a.tenantId, user[who].id);
        const target = await TARGETS[key](who);
        const before = target.state ? await target.state() : undefined;
        const response = await app.inject({
          method: methodOf(key),
          url: target.url,
          headers: { ...alter(headers), ...target.headers },
          ...(target.payload === undefined ? {} : { payload: target.payload }),
        });
        if (response.statusCode !== 403) {
          problems.push(
            `${route} (${label}): ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
        }
        problems.push(...deniedProblems(response).map((p) => `${route} (${label}): ${p}`));
        if (target.state && !isDeepStrictEqual(await target.state(), before)) {
          problems.push(`${route} (${label}): refused, but the data changed`);
        }
        // The session itself lives on.
        const alive = await app.inject({
          url: '/api/v1/session',
          headers: { cookie: headers['cookie']! },
        });
        if (alive.statusCode !== 200) problems.push(`${route} (${label}): the session ended`);
      }
    }
    expect(problems).toEqual([]);
  });
});

async function getAs<T>(caller: Caller, url: string): Promise<{ status: number; body: T }> {
  const response = await app.inject({ url, headers: await headersOf(caller) });
  return { status: response.statusCode, body: response.json<T>() };
}

describe('scopes', () => {
  it("lists only the 广东 manager's dealers: 广东's and their sub-dealers, wherever they are", async () => {
    const { status, body } = await getAs<DealerPage>('managerA', '/api/v1/dealers?limit=100');
    expect(status).toBe(200);
    expect(body.items.map((d) => d.code).sort()).toEqual(
      [dealer.gdLeader, dealer.gdSub, dealer.sdSub, dealer.own].map((d) => d.code).sort(),
    );
    expect(body.total).toBe(4);
    const inShandong = await getAs<DealerPage>('managerA', '/api/v1/dealers?region=370000');
    expect(inShandong.body.items.map((d) => d.code)).toEqual([dealer.sdSub.code]);
    expect(inShandong.body.total).toBe(1);
    const search = await getAs<DealerPage>(
      'managerA',
      `/api/v1/dealers?q=${encodeURIComponent(dealer.sdLeader.code)}`,
    );
    expect(search.body).toMatchObject({ items: [], total: 0 });
    // The whole tenant for the admin, for contrast.
    const all = await getAs<DealerPage>('adminA', '/api/v1/dealers?limit=100');
    expect(all.body.total).toBe(6);
  });

  it('shows the sub-dealer in 山东 with its 广东 parent, and not-found for the 山东 dealer', async () => {
    const sub = await getAs<DealerDetail>('managerA', `/api/v1/dealers/${dealer.sdSub.id}`);
    expect(sub.status).toBe(200);
    expect(sub.body.parent).toEqual(dealer.gdLeader);
    const out = await app.inject({
      url: `/api/v1/dealers/${dealer.sdLeader.id}`,
      headers: await headersOf('managerA'),
    });
    expect(out.statusCode).toBe(404);
    // Exactly what an id that does not exist gets, apart from the id itself.
    const missing = await app.inject({
      url: '/api/v1/dealers/987654321',
      headers: await headersOf('managerA'),
    });
    expect(out.json()).toEqual(
      JSON.parse(missing.body.replaceAll('987654321', String(dealer.sdLeader.id))),
    );
  });

  it("counts only the manager's dealers in the facets", async () => {
    const manager = await getAs<DealerFacets>('managerA', '/api/v1/dealers/facets');
    expect(manager.body).toEqual({
      channelTypes: ['distributor', 'wholesaler'],
      tags: ['KA'],
      statusCounts: { active: 3, probation: 1, suspended: 0, terminated: 0 },
    });
    const admin = await getAs<DealerFacets>('adminA', '/api/v1/dealers/facets');
    expect(admin.body).toEqual({
      channelTypes: ['distributor', 'sdonly-channel', 'wholesaler'],
      tags: ['KA', 'sdonly-tag'],
      statusCounts: { active: 4, probation: 1, suspended: 0, terminated: 1 },
    });
  });

  it("counts only the caller's dealers per region", async () => {
    const counts = async (caller: Caller) => {
      const { body } = await getAs<RegionList>(caller, '/api/v1/regions');
      return Object.fromEntries(body.items.map((r) => [r.code, r.dealerCount]));
    };
    expect(await counts('managerA')).toEqual({ '370000': 1, '440000': 3 });
    expect(await counts('adminA')).toEqual({ '370000': 3, '440000': 3 });
    const city = await getAs<RegionList>('managerA', '/api/v1/regions?parent=440000');
    expect(Object.fromEntries(city.body.items.map((r) => [r.code, r.dealerCount]))).toEqual({
      '440100': 2,
      '440300': 1,
    });
  });

  it('gives the dealer user its own dealer in the portal and nothing of the dealer list', async () => {
    const portal = await getAs<DealerDetail>('dealerA', '/api/v1/portal');
    expect(portal.status).toBe(200);
    expect(portal.body).toMatchObject({ id: dealer.own.id, code: dealer.own.code });
    for (const url of [
      '/api/v1/dealers',
      '/api/v1/dealers/facets',
      `/api/v1/dealers/${dealer.own.id}`,
      `/api/v1/dealers/${dealer.gdLeader.id}`,
    ]) {
      expect((await getAs('dealerA', url)).status, url).toBe(403);
    }
    const me = await getAs<{ user: { dealer: Named } }>('dealerA', '/api/v1/session');
    expect(me.body.user.dealer).toEqual(dealer.own);
  });

  it("refuses another tenant's dealer and region codes in a user's scope, changing nothing", async () => {
    const [bRegionCode] = (
      await db()
        .selectFrom('region')
        .select('code')
        .where('tenant_id', '=', b.tenantId)
        .where('name', '=', bOnly[1]!)
        .execute()
    ).map((r) => r.code);
    const attempts: [string, string, Record<string, unknown>][] = [
      [
        'POST',
        '/api/v1/users',
        {
          login: unique('cross-dealer'),
          displayName: 'x',
          role: 'dealer',
          password: 'a long enough password',
          dealerCode: dealer.b.code,
        },
      ],
      [
        'POST',
        '/api/v1/users',
        {
          login: unique('cross-region'),
          displayName: 'x',
          role: 'channel_manager',
          password: 'a long enough password',
          regionCodes: [bRegionCode],
        },
      ],
      ['PATCH', `/api/v1/users/${user.targetA.id}`, { role: 'dealer', dealerCode: dealer.b.code }],
      [
        'PATCH',
        `/api/v1/users/${user.targetA.id}`,
        { role: 'channel_manager', regionCodes: [bRegionCode] },
      ],
    ];
    for (const [method, url, payload] of attempts) {
      const users = await passwordsAndUsers();
      const target = await userState(a.tenantId, user.targetA.id);
      const response = await app.inject({
        method: method as 'POST' | 'PATCH',
        url,
        payload,
        headers: await headersOf('adminA'),
      });
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
      // Only what was sent comes back: nothing else of tenant B.
      for (const text of strings.b.filter((t) => t !== dealer.b.code)) {
        expect(response.body).not.toContain(text);
      }
      expect(await passwordsAndUsers()).toEqual(users);
      expect(await userState(a.tenantId, user.targetA.id)).toEqual(target);
    }
  });

  it('gives a channel manager and a dealer user no statistics over dealers they do not see', async () => {
    // The run's metric statistics (count, min, max, mean, sd of the raw values) travel with the
    // run, each decision and the portal: over more dealers than the caller sees, they give away
    // the others (one dealer outside the scope: its value is count·mean − the caller's sum).
    type Stats = { key: string; stats?: { count: number } | null }[];
    const problems: string[] = [];
    const check = (what: string, metrics: Stats, visible: number) => {
      for (const m of metrics) {
        const count = m.stats?.count ?? 0;
        if (count > visible)
          problems.push(`${what}: ${m.key} over ${count} dealers, sees ${visible}`);
      }
    };
    const run = await getAs<RunDetail>('managerA', `/api/v1/assessments/${tiering.a.run}`);
    check('manager, run', run.body.metrics, run.body.dealerCount);
    const decision = await getAs<DecisionDetail>(
      'managerA',
      `/api/v1/assessments/${tiering.a.run}/decisions/${dealer.gdLeader.id}`,
    );
    check('manager, decision', decision.body.metrics, run.body.dealerCount);
    const portal = await getAs<DealerTier>('dealerA', '/api/v1/portal/tier');
    expect(portal.body.current).not.toBeNull();
    check('dealer user, portal', portal.body.current!.metrics, 1);
    expect(problems).toEqual([]);
  });

  it('binds the tenant to the credential: X-Tierline-Tenant changes nothing', async () => {
    const tenant = await getAs<{ slug: string }>('adminA2ClaimsB', '/api/v1/tenant');
    expect(tenant.body.slug).toBe(a.slug);
    const dealers = await getAs<DealerPage>('adminA2ClaimsB', '/api/v1/dealers?limit=100');
    expect(dealers.body.items.map((d) => d.id)).not.toContain(dealer.b.id);
    expect(dealers.body.total).toBe(6);
  });
});

// Last: it adds dealers that would change the counts above.
describe('scope gaps', () => {
  it("shows a channel manager no code or name of a dealer outside its regions, not even as a dealer's parent", async () => {
    const parent = {
      code: unique('DSDPARENT').toUpperCase(),
      name: unique('山东上级经销商'),
    };
    const parentId = await makeDealer(db(), a.tenantId, { ...parent, region_id: a.regions.sd });
    const childId = await makeDealer(db(), a.tenantId, {
      region_id: a.regions.th,
      chain_level: 2,
      parent_id: parentId,
    });
    const headers = await headersOf('managerA');
    const list = await app.inject({ url: '/api/v1/dealers?limit=100', headers });
    const detail = await app.inject({ url: `/api/v1/dealers/${childId}`, headers });
    expect(list.statusCode).toBe(200);
    expect(list.json<DealerPage>().items.map((d) => d.id)).toContain(childId);
    expect(detail.statusCode).toBe(200);
    for (const response of [list, detail]) {
      expect(response.body).not.toContain(parent.code);
      expect(response.body).not.toContain(parent.name);
    }
  });
});
