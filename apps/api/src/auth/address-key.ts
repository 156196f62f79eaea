import ipaddr from 'ipaddr.js';

/**
 * The key a client address is limited under. One IPv6 subscriber usually holds a whole /64 and
 * may use any address in it, so IPv6 addresses count per /64; an IPv4-mapped IPv6 address
 * (::ffff:10.1.2.3) is its IPv4 address. Anything unparsable is kept as it is.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip.slice(0, 100);
  const addr = ipaddr.process(ip);
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}
