import type { AlertAssignee } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { assigneeOptions, mayTakeAlert } from './assignees';

const listed: AlertAssignee[] = [
  { id: 3, name: '华南经理', role: 'channel_manager' },
  { id: 1, name: '渠道总监', role: 'admin' },
  { id: 7, name: '广州经理', role: 'channel_manager' },
];

describe('owner picker', () => {
  it('puts the signed-in user first and keeps the server’s order for the rest', () => {
    expect(assigneeOptions(listed, null, 7).map((o) => [o.value, o.me])).toEqual([
      [7, true],
      [3, false],
      [1, false],
    ]);
  });

  it('keeps a current owner the server no longer lists, marked stale', () => {
    const options = assigneeOptions(listed, { id: 9, name: '已调岗经理' }, 1);
    expect(options.at(-1)).toEqual({
      value: 9,
      name: '已调岗经理',
      role: null,
      me: false,
      stale: true,
    });
    expect(assigneeOptions(listed, { id: 3, name: '华南经理' }, 1).some((o) => o.stale)).toBe(
      false,
    );
  });

  it('offers "assign to me" only to a listed user, or while the list loads', () => {
    expect(mayTakeAlert(listed, 1)).toBe(true);
    expect(mayTakeAlert(listed, 2)).toBe(false);
    expect(mayTakeAlert(undefined, 2)).toBe(true);
  });
});
