import type { NotificationChannelKind } from '@tierline/contract';

/**
 * Robot webhooks carry their credential in the URL (DingTalk `access_token`, WeCom `key`, the
 * Feishu hook id), so answers show such URLs masked: the first 4 characters and '…'. A PATCH
 * that sends the masked URL back unchanged keeps the stored one (see `unmaskUrl`).
 */
const SENSITIVE_PARAM = /token|key|secret|sig|pass|auth|code/i;

function mask(value: string): string {
  return value.length <= 4 ? '…' : `${value.slice(0, 4)}…`;
}

export function maskUrl(value: string, kind: NotificationChannelKind): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  let changed = false;
  for (const [name, param] of [...url.searchParams]) {
    if (SENSITIVE_PARAM.test(name) && param) {
      url.searchParams.set(name, mask(param));
      changed = true;
    }
  }
  if (kind === 'feishu') {
    const segments = url.pathname.split('/');
    const last = segments.at(-1);
    if (last) {
      segments[segments.length - 1] = mask(last);
      url.pathname = segments.join('/');
      changed = true;
    }
  }
  if (!changed) return value;
  // URLSearchParams encodes '…'; show it as typed.
  const masked = url.toString();
  return masked.replaceAll(encodeURIComponent('…'), '…');
}

/** The stored URL when `submitted` is its masked form, else `submitted`. */
export function unmaskUrl(
  submitted: string,
  stored: string | undefined,
  kind: NotificationChannelKind,
): string {
  return stored !== undefined && submitted === maskUrl(stored, kind) && submitted !== stored
    ? stored
    : submitted;
}
