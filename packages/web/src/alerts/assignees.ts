import type { AlertAssignee, Role } from '@tierline/contract';

/** One choice of the owner picker. */
export interface AssigneeOption {
  value: number;
  name: string;
  role: Role | null;
  /** The signed-in user. */
  me: boolean;
  /**
   * The current owner, no longer among those who may own the alert (disabled, moved to other
   * regions): shown so that the picker names them, and refused by the server if chosen again.
   */
  stale: boolean;
}

/**
 * The owner picker's choices: the signed-in user first when eligible, then the others in the
 * server's order (by name); the current owner is kept, marked stale, when the server no longer
 * lists them.
 */
export function assigneeOptions(
  assignees: readonly AlertAssignee[],
  owner: { id: number; name: string } | null,
  myId: number,
): AssigneeOption[] {
  const options = assignees.map((a): AssigneeOption => ({
    value: a.id,
    name: a.name,
    role: a.role,
    me: a.id === myId,
    stale: false,
  }));
  const sorted = [...options.filter((o) => o.me), ...options.filter((o) => !o.me)];
  if (owner !== null && !assignees.some((a) => a.id === owner.id)) {
    sorted.push({
      value: owner.id,
      name: owner.name,
      role: null,
      me: owner.id === myId,
      stale: true,
    });
  }
  return sorted;
}

/** Whether the signed-in user may take the alert: listed by the server (or the list not loaded). */
export function mayTakeAlert(
  assignees: readonly AlertAssignee[] | undefined,
  myId: number,
): boolean {
  return assignees === undefined || assignees.some((a) => a.id === myId);
}
