import type { Permission } from '@tierline/contract';
import { describe, expect, it } from 'vitest';
import { landingPath, safeNextPath, signInLocation } from './next-path';

const staff: Permission[] = ['tenant:read', 'dealers:read', 'master:read'];
const dealer: Permission[] = ['tenant:read', 'portal:read'];

describe('safeNextPath keeps sign-in from sending anyone off the console', () => {
  it.each([
    '/',
    '/dealers',
    '/dealers/42',
    '/dealers?status=active&q=%E5%8D%8E%E5%8D%97',
    '/settings/audit?action=user.#top',
    '/portal',
  ])('accepts the console path %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    ['another origin', 'https://evil.example/dealers'],
    ['a protocol-relative URL', '//evil.example/dealers'],
    ['three slashes', '///evil.example'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['a backslash later on', '/dealers\\..\\x'],
    ['a tab the URL parser drops', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a script URL', 'javascript:alert(1)'],
    ['a relative path', 'dealers'],
    ['an empty value', ''],
    ['the sign-in page itself', '/signin?next=/dealers'],
    ['a missing value', null],
  ])('refuses %s', (_case, path) => {
    expect(safeNextPath(path)).toBeUndefined();
  });
});

describe('signInLocation', () => {
  it('carries the path, search and hash to come back to', () => {
    const location = signInLocation('/dealers?status=active#x');
    const next = new URL(location, 'http://console.test').searchParams.get('next');
    expect(location.startsWith('/signin?next=')).toBe(true);
    expect(next).toBe('/dealers?status=active#x');
  });

  it('leaves out a next that adds nothing or is unsafe', () => {
    expect(signInLocation('/')).toBe('/signin');
    expect(signInLocation('//evil.example')).toBe('/signin');
  });
});

describe('landingPath after sign-in', () => {
  it('returns staff to the page they asked for', () => {
    expect(landingPath('/dealers/7?tab=months', staff)).toBe('/dealers/7?tab=months');
  });

  it('sends staff home when there is no next or it is unsafe', () => {
    expect(landingPath(null, staff)).toBe('/');
    expect(landingPath('//evil.example', staff)).toBe('/');
  });

  it('lands dealer users on the portal, even when next is a staff page', () => {
    expect(landingPath(null, dealer)).toBe('/portal');
    expect(landingPath('/', dealer)).toBe('/portal');
    expect(landingPath('/dealers', dealer)).toBe('/portal');
  });

  it('does not return a non-admin to an admin page', () => {
    expect(landingPath('/settings/users', staff)).toBe('/');
  });
});
