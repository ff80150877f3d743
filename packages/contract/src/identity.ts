import { z } from 'zod';
import { Cursor, Limit, pageOf } from './common.js';

/** What a user is allowed to do; PRODUCT "Users". */
export const Role = z
  .enum(['admin', 'channel_manager', 'analyst', 'dealer'])
  .describe(
    'admin = channel director (everything); channel_manager = dealers of assigned regions; ' +
      'analyst = read-only, whole channel; dealer = portal user, its own dealer only',
  );
export type Role = z.infer<typeof Role>;

/** The permissions that routes require. One table in core maps roles and token scopes to them. */
export const Permission = z.enum([
  'tenant:read',
  'dealers:read',
  'master:read',
  'portal:read',
  'users:manage',
  'tokens:manage',
  'audit:read',
  'ingest:write',
  'policies:read',
  'policies:write',
  'assessments:read',
  'assessments:run',
  'assessments:override',
  'assessments:approve',
  'simulations:run',
  'ledger:read',
  'resources:read',
  'resources:manage',
  'mdf:request',
  'mdf:decide',
  'alerts:read',
  'alerts:manage',
  'alerts:configure',
]);
export type Permission = z.infer<typeof Permission>;

export const TokenScope = z
  .enum(['ingest', 'read'])
  .describe('ingest = push data through the ingestion API; read = read dealers and master data');
export type TokenScope = z.infer<typeof TokenScope>;

/** Password rules, checked on the server too: 10 to 200 characters. */
export const Password = z
  .string()
  .min(10, 'a password needs at least 10 characters')
  .max(200, 'a password has at most 200 characters');

export const Login = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'a login needs at least 2 characters')
  .max(100)
  .regex(/^[a-z0-9._@+-]+$/, 'use letters, digits and . _ @ + - only')
  .describe('Sign-in name, e.g. an e-mail address; case-insensitive');

export const SignInRequest = z.object({
  tenant: z
    .string()
    .min(1)
    .max(63)
    .optional()
    .describe("Tenant slug; the server's default when absent"),
  login: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const RegionScope = z.object({ code: z.string(), name: z.string() });
export type RegionScope = z.infer<typeof RegionScope>;

/** What the sign-in page may show before anyone signs in. */
export const SignInHint = z.object({
  tenant: z
    .object({ slug: z.string(), name: z.string() })
    .nullable()
    .describe("The server's default tenant; null when it does not exist"),
  demo: z
    .object({
      password: z.string(),
      logins: z.array(z.object({ login: z.string(), role: Role })),
    })
    .nullable()
    .describe('The demo sign-ins, only when the default tenant is a demo tenant'),
});
export type SignInHint = z.infer<typeof SignInHint>;

/** The signed-in caller: who they are, where their data comes from, what they may do. */
export const SessionInfo = z.object({
  user: z.object({
    id: z.number().int(),
    login: z.string(),
    displayName: z.string(),
    role: Role,
    regions: z.array(RegionScope).describe('Channel managers: the regions they own'),
    dealer: z
      .object({ id: z.number().int(), code: z.string(), name: z.string() })
      .nullable()
      .describe('Dealer users: their own dealer'),
  }),
  tenant: z.object({ slug: z.string(), name: z.string() }),
  permissions: z.array(Permission),
  csrfToken: z
    .string()
    .describe('Send it back in the X-CSRF-Token header on every POST, PUT, PATCH and DELETE'),
  expiresAt: z.string().describe('When the session ends at the latest (ISO 8601)'),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const PasswordChange = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: Password,
});
export type PasswordChange = z.infer<typeof PasswordChange>;

export const UserStatus = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof UserStatus>;

export const User = z.object({
  id: z.number().int(),
  login: z.string(),
  displayName: z.string(),
  role: Role,
  status: UserStatus,
  regions: z.array(RegionScope),
  dealer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  lockedUntil: z.string().nullable().describe('Set while sign-in is locked after failed attempts'),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ items: z.array(User) });
export type UserList = z.infer<typeof UserList>;

export const NewUser = z.object({
  login: Login,
  displayName: z.string().trim().min(1).max(100),
  role: Role,
  password: Password,
  regionCodes: z
    .array(z.string().max(64))
    .max(200)
    .default([])
    .describe('Channel managers: codes of the regions they own (each covers its subtree)'),
  dealerCode: z.string().max(64).optional().describe('Dealer users: the code of their dealer'),
});
export type NewUser = z.input<typeof NewUser>;

export const UserPatch = z
  .object({
    displayName: z.string().trim().min(1).max(100),
    role: Role,
    status: UserStatus,
    regionCodes: z.array(z.string().max(64)).max(200),
    dealerCode: z.string().max(64).nullable(),
    password: Password.describe('Set a new password (the user signs in with it; sessions end)'),
    unlock: z.literal(true).describe('Clear a sign-in lock-out'),
  })
  .partial();
export type UserPatch = z.infer<typeof UserPatch>;

export const ApiToken = z.object({
  id: z.number().int(),
  name: z.string(),
  scope: TokenScope,
  prefix: z.string().describe('The first characters of the token, to recognise it'),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ items: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const NewApiToken = z.object({
  name: z.string().trim().min(1).max(100).describe('What the token is for, e.g. "SAP connector"'),
  scope: TokenScope,
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('Never expires when absent'),
});
export type NewApiToken = z.infer<typeof NewApiToken>;

export const CreatedApiToken = z.object({
  token: ApiToken,
  secret: z
    .string()
    .describe('The token itself, shown this once: send it as `Authorization: Bearer <secret>`'),
});
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const AuditActorKind = z.enum(['user', 'token', 'cli', 'system', 'anonymous']);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

export const AuditEvent = z.object({
  id: z.number().int(),
  at: z.string().describe('ISO 8601 timestamp'),
  actor: z.object({
    kind: AuditActorKind,
    id: z.number().int().nullable(),
    name: z.string(),
  }),
  action: z.string().describe('e.g. user.create, session.sign_in_failed, token.revoke'),
  entity: z.object({ type: z.string(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z.object({
  action: z.string().max(64).optional().describe('Action, or a prefix ending in "." (e.g. user.)'),
  actor: z.string().max(100).optional().describe('Actor name (login or token name)'),
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('At or after (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Before (ISO 8601)'),
  limit: Limit,
  cursor: Cursor,
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = pageOf(AuditEvent);
export type AuditPage = z.infer<typeof AuditPage>;

export const ExportFormat = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof ExportFormat>;
