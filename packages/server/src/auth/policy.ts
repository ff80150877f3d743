import type { Permission, Role, TokenScope } from '@tierline/contract';

/**
 * The one place that decides what a role or an API token may do. Routes declare the permission
 * they need (`config.access`); `auth/guard.ts` checks it against this table, and the OpenAPI
 * document lists, per route, the roles and token scopes that hold it.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'tenant:read',
    'dealers:read',
    'master:read',
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
  ],
  // A channel manager computes drafts and proposes overrides for its own dealers; the
  // director (admin) approves and publishes: maker and checker are different people.
  channel_manager: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'policies:read',
    'assessments:read',
    'assessments:run',
    'assessments:override',
    'ledger:read',
    'resources:read',
    'mdf:request',
    'mdf:decide',
    'alerts:read',
    'alerts:manage',
  ],
  analyst: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'policies:read',
    'assessments:read',
    'simulations:run',
    'ledger:read',
    'resources:read',
    'alerts:read',
  ],
  dealer: ['tenant:read', 'portal:read', 'ledger:read', 'mdf:request'],
};

export const TOKEN_PERMISSIONS: Readonly<Record<TokenScope, readonly Permission[]>> = {
  ingest: ['tenant:read', 'master:read', 'ingest:write'],
  read: [
    'tenant:read',
    'dealers:read',
    'master:read',
    'policies:read',
    'assessments:read',
    'ledger:read',
    'resources:read',
    'alerts:read',
  ],
};

/**
 * Which dealers a caller sees: the whole tenant; the dealers of some regions and their
 * sub-dealers (`regionIds` holds the owned regions with every region below them,
 * `extraDealerIds` the sub-dealers outside them whose parent is inside; see
 * `dealers/dealer-scope.ts`); or one dealer.
 */
export type DealerScope =
  | { kind: 'tenant' }
  | { kind: 'regions'; regionIds: readonly number[]; extraDealerIds: readonly number[] }
  | { kind: 'dealer'; dealerId: number };

interface PrincipalBase {
  tenantId: number;
  tenantSlug: string;
  tenantName: string;
  scope: DealerScope;
}

export interface UserPrincipal extends PrincipalBase {
  kind: 'user';
  userId: number;
  login: string;
  displayName: string;
  role: Role;
  sessionHash: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface TokenPrincipal extends PrincipalBase {
  kind: 'token';
  tokenId: number;
  name: string;
  tokenScope: TokenScope;
}

export type Principal = UserPrincipal | TokenPrincipal;

/**
 * What a route needs: `public` (anyone), `session` (a signed-in user, not a token: the
 * caller's own session and password), or a permission.
 */
export type Access = 'public' | 'session' | Permission;

export function permissionsOf(principal: Principal): readonly Permission[] {
  return principal.kind === 'user'
    ? ROLE_PERMISSIONS[principal.role]
    : TOKEN_PERMISSIONS[principal.tokenScope];
}

export function allows(principal: Principal, access: Access): boolean {
  if (access === 'public') return true;
  if (access === 'session') return principal.kind === 'user';
  return permissionsOf(principal).includes(access);
}

/** Roles and token scopes that hold `access`, for the OpenAPI document and error messages. */
export function holdersOf(access: Access): { roles: Role[]; tokenScopes: TokenScope[] } {
  if (access === 'public') {
    return {
      roles: Object.keys(ROLE_PERMISSIONS) as Role[],
      tokenScopes: Object.keys(TOKEN_PERMISSIONS) as TokenScope[],
    };
  }
  if (access === 'session')
    return { roles: Object.keys(ROLE_PERMISSIONS) as Role[], tokenScopes: [] };
  return {
    roles: (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) =>
      ROLE_PERMISSIONS[r].includes(access),
    ),
    tokenScopes: (Object.keys(TOKEN_PERMISSIONS) as TokenScope[]).filter((s) =>
      TOKEN_PERMISSIONS[s].includes(access),
    ),
  };
}

/** The scope a role implies; a channel manager's comes from `resolveRegionScope`. */
export function scopeOf(
  role: Role,
  regions: Extract<DealerScope, { kind: 'regions' }> | null,
  dealerId: number | null,
): DealerScope {
  switch (role) {
    case 'admin':
    case 'analyst':
      return { kind: 'tenant' };
    case 'channel_manager':
      return regions ?? { kind: 'regions', regionIds: [], extraDealerIds: [] };
    case 'dealer':
      if (dealerId === null) throw new Error('a dealer user without a dealer');
      return { kind: 'dealer', dealerId };
  }
}
