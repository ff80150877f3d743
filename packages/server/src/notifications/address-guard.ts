import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError } from '@tierline/core';

/**
 * SSRF protection for notification targets (docs/notifications.md, "Where messages may go").
 * A channel is configured by a tenant's admin but sent from the server, so without a guard a
 * webhook URL could reach the server's own network: the database, a cloud metadata service
 * (169.254.169.254), an internal admin page. Unless TIERLINE_NOTIFY_ALLOW_PRIVATE=1, targets
 * must be public addresses: the URL is checked when a channel is saved, and every address a
 * host name resolves to is checked again when connecting (a name that resolved to a public
 * address yesterday may resolve to a private one today).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b:1::', 48], // local-use NAT64
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Whether private, loopback and link-local targets are allowed (TIERLINE_NOTIFY_ALLOW_PRIVATE=1). */
export function privateTargetsAllowed(): boolean {
  return process.env['TIERLINE_NOTIFY_ALLOW_PRIVATE'] === '1';
}

/** Whether an IP address is loopback, private, link-local, multicast or otherwise not public. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

function hostOf(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/**
 * Refuse a target host that is a private address or a local name, unless allowed. `field` is
 * the path reported with the error (e.g. `config.url`).
 */
export function checkTargetHost(hostname: string, field: string): void {
  if (privateTargetsAllowed()) return;
  const host = hostOf(hostname).toLowerCase().replace(/\.$/, '');
  const local =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    (isIP(host) !== 0 && isPrivateAddress(host)) ||
    (isIP(host) === 0 && !host.includes('.'));
  if (local) {
    throw new DomainError(
      'validation_failed',
      `${field}: ${hostname} is a loopback, private or local address; notifications go only to public hosts (an operator may allow private ones with TIERLINE_NOTIFY_ALLOW_PRIVATE=1).`,
      { fields: [{ in: 'body', path: field, message: 'must be a public host' }] },
    );
  }
}

/** Check an http(s) URL: its scheme and its host. */
export function checkTargetUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError('validation_failed', `${field}: not a URL.`, {
      fields: [{ in: 'body', path: field, message: 'must be an http:// or https:// URL' }],
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DomainError('validation_failed', `${field}: only http:// and https:// are allowed.`, {
      fields: [{ in: 'body', path: field, message: 'must be an http:// or https:// URL' }],
    });
  }
  if (url.username || url.password) {
    throw new DomainError(
      'validation_failed',
      `${field}: credentials in the URL are not allowed; put a secret in the channel's secret.`,
      { fields: [{ in: 'body', path: field, message: 'must not contain user:password@' }] },
    );
  }
  checkTargetHost(url.hostname, field);
  return url;
}

/** The error a refused address gives at connection time. */
export class PrivateAddressError extends Error {
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, a loopback, private or local address; refused (TIERLINE_NOTIFY_ALLOW_PRIVATE=1 allows it)`,
    );
  }
}

/**
 * A `lookup` for http.request and net.connect that refuses private addresses (unless allowed),
 * so that the address checked is the address connected to.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    if (!privateTargetsAllowed()) {
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        callback(new PrivateAddressError(hostname, bad.address), '', 0);
        return;
      }
    }
    if (options.all) {
      (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return;
    }
    const first = addresses[0];
    if (!first) {
      callback(new Error(`${hostname} has no address`), '', 0);
      return;
    }
    callback(null, first.address, first.family);
  });
};

/** Resolve a host and refuse private addresses (for SMTP, whose client resolves on its own). */
export async function checkResolvedHost(hostname: string): Promise<void> {
  if (privateTargetsAllowed()) return;
  const host = hostOf(hostname);
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw new PrivateAddressError(hostname, host);
    return;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) => {
    dnsLookup(host, { all: true }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw new PrivateAddressError(hostname, bad.address);
}
