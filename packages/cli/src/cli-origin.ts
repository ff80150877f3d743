import { userInfo } from 'node:os';

/** Who did it, for the audit trail: the operating-system user running the CLI. */
export function cliOrigin() {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (e.g. an arbitrary container uid): keep "unknown".
  }
  return {
    actor: { kind: 'cli' as const, id: null, name: `cli:${name}` },
    ip: null,
    userAgent: 'tierline-cli',
  };
}
