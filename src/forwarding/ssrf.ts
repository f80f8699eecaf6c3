/**
 * Server-side request forgery guard of forwarding targets (issue 13): loopback, link-local,
 * private, unspecified and other non-public addresses are refused unless
 * LEARNHQ_ALLOW_PRIVATE_TARGETS=true. The check runs on the addresses DNS gives at connection
 * time (the socket connects only to a checked address), so a name that later resolves elsewhere
 * (DNS rebinding) is refused too.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';

function v4(a: string): number[] {
  return a.split('.').map(Number);
}

/** True for addresses a forwarding target must not reach by default. */
export function isPrivateAddress(address: string): boolean {
  let a = address.toLowerCase();
  if (a.startsWith('::ffff:') && net.isIPv4(a.slice(7))) a = a.slice(7);
  if (net.isIPv4(a)) {
    const [x = 0, y = 0] = v4(a);
    return x === 0 || x === 10 || x === 127 || (x === 169 && y === 254) || (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127) || (x === 192 && y === 0) || (x === 198 && (y === 18 || y === 19)) || x >= 224;
  }
  if (net.isIPv6(a)) {
    return a === '::' || a === '::1' || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || /^ff/.test(a) || a.startsWith('64:ff9b:') || a.startsWith('2001:db8:');
  }
  return true;
}

/** A `lookup` for http.request that refuses private addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = (addresses as LookupAddress[]).filter((x) => allowPrivate || !isPrivateAddress(x.address));
      const first = list[0];
      if (!first) {
        const e = Object.assign(new Error(`${hostname} resolves only to loopback, link-local or private addresses (LEARNHQ_ALLOW_PRIVATE_TARGETS is off)`), { code: 'EPRIVATETARGET' });
        return callback(e, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, first.address, first.family);
    });
  };
}

/** Checks a target URL when it is added: http(s), no credentials in it, and (unless allowed) no private literal address. */
export function checkTargetUrl(raw: string, allowPrivate: boolean): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http:// or https:// URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (give them separately: they are stored encrypted)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
    return 'points at a loopback, link-local or private address (refused unless LEARNHQ_ALLOW_PRIVATE_TARGETS=true)';
  }
  return url;
}
