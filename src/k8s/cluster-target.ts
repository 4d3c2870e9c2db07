// What a target URL must not be for pods in a cluster: a loopback or link-local address (127.0.0.0/8,
// ::1, localhost, 169.254.0.0/16 — the cloud metadata service among them —, fe80::/10). From a pod,
// loopback is the pod itself: every generator would load itself and the run would measure nothing.
import { BlockList, isIP } from 'node:net';
import { ManifestInputError } from './names.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addSubnet('0.0.0.0', 8, 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

/** Throws unless `url`'s host is one other pods could reach (a name or an address that is not loopback or link-local). */
export function checkClusterTarget(flag: string, url: URL): void {
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  const why = refusedBecause(host);
  if (why)
    throw new ManifestInputError(
      `${flag}: ${url.host} is ${why}: from a pod it is the pod itself (or the node's), not your service; give an address or name the pods reach, such as the service's DNS name in the cluster`,
    );
}

function refusedBecause(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost (loopback)';
  const family = isIP(host);
  if (family === 0) return undefined;
  // BlockList checks an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 rules too.
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(host, type)) return 'a loopback address';
  if (LINK_LOCAL.check(host, type)) return 'a link-local address';
  if (UNSPECIFIED.check(host, type)) return 'an unspecified address';
  return undefined;
}
