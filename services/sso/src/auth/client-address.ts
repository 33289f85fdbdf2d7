import { BlockList, isIP } from 'node:net';

/** Answers the address a request came from: the socket's, or what trusted proxies say in X-Forwarded-For. */
export type ClientAddress = (socketAddress: string | undefined, forwardedFor: string | undefined) => string;

/**
 * The client address sso counts sign-ins by (ADR 14). It starts from the socket and takes the next address
 * from the right of X-Forwarded-For only while the hop it has is a trusted proxy — so a client that reaches
 * sso directly, or adds its own X-Forwarded-For before the gateway, cannot choose the address it is counted
 * under. Fastify's TRUST_PROXY=true believes the left-most entry from anyone; sso does not rely on it here.
 *
 * `trusted`: comma-separated addresses, CIDR ranges and `loopback` (127.0.0.0/8 and ::1).
 */
export function clientAddressResolver(trusted: string): ClientAddress {
  const proxies = new BlockList();
  for (const entry of trusted
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    if (entry === 'loopback') {
      proxies.addSubnet('127.0.0.0', 8, 'ipv4');
      proxies.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`SSO_TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) proxies.addAddress(address, type);
    else proxies.addSubnet(address, Number(prefix), type);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (socketAddress, forwardedFor) => {
    let address = plain(socketAddress ?? '');
    const hops = (forwardedFor ?? '')
      .split(',')
      .map((hop) => plain(hop.trim()))
      .filter(Boolean);
    while (isTrusted(address) && hops.length > 0) {
      const next = hops.pop()!;
      // A proxy passes on what it was told; whatever is not an address ends the walk.
      if (isIP(next) === 0) break;
      address = next;
    }
    return address || 'unknown';
  };
}

/** `::ffff:192.0.2.1` is 192.0.2.1: one client, one count. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
