/**
 * Which addresses a guest may connect to. Loopback, private, link-local, cloud-metadata and other
 * non-public addresses are refused unless the operator lists them (GATEWAY_OUTBOUND_ALLOW), so an
 * app cannot reach the platform's own services, its database or the cloud's metadata endpoint.
 * Checked on the address actually connected to (outbound-fetch.ts resolves once), never on a name.
 */
import { BlockList, isIP } from "node:net";

export type RefusedClass = "loopback" | "private" | "link-local" | "cloud-metadata" | "reserved";

const CLASSES: [RefusedClass, [string, number, "ipv4" | "ipv6"][]][] = [
  // Checked first: these also sit inside the link-local and private ranges below.
  ["cloud-metadata", [["169.254.169.254", 32, "ipv4"], ["169.254.170.2", 32, "ipv4"], ["100.100.100.200", 32, "ipv4"], ["fd00:ec2::254", 128, "ipv6"]]],
  ["loopback", [["127.0.0.0", 8, "ipv4"], ["::1", 128, "ipv6"]]],
  ["private", [["10.0.0.0", 8, "ipv4"], ["172.16.0.0", 12, "ipv4"], ["192.168.0.0", 16, "ipv4"], ["100.64.0.0", 10, "ipv4"], ["fc00::", 7, "ipv6"]]],
  ["link-local", [["169.254.0.0", 16, "ipv4"], ["fe80::", 10, "ipv6"]]],
  [
    "reserved",
    [
      ["0.0.0.0", 8, "ipv4"], ["192.0.0.0", 24, "ipv4"], ["198.18.0.0", 15, "ipv4"], ["224.0.0.0", 4, "ipv4"], ["240.0.0.0", 4, "ipv4"],
      ["::", 128, "ipv6"], ["ff00::", 8, "ipv6"], ["64:ff9b::", 96, "ipv6"], ["2001:db8::", 32, "ipv6"],
    ],
  ],
];

const LISTS = CLASSES.map(([name, ranges]) => {
  const list = new BlockList();
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type);
  return [name, list] as const;
});

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d, or its hex form) is judged as the IPv4 one. */
function unmapped(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return { address: dotted[1]!, type: "ipv4" };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, type: "ipv4" };
  }
  return { address, type: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** The eight 16-bit groups of an IPv6 address ("::" expanded, a trailing dotted IPv4 read), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * IPv4 addresses an IPv6 address leads to by a tunnel: 6to4 (2002::/16, the IPv4 in groups 2-3)
 * and Teredo (2001::/32: its server in groups 3-4, its client in groups 7-8, bits inverted). A
 * relay would carry the connection there, so they are judged like that IPv4 address.
 */
function tunnelled(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  if (g[0] === 0x2002) return [v4(g[1]!, g[2]!)];
  if (g[0] === 0x2001 && g[1] === 0) return [v4(g[2]!, g[3]!), v4(~g[6]! & 0xffff, ~g[7]! & 0xffff)];
  return [];
}

function classOf(address: string, type: "ipv4" | "ipv6"): RefusedClass | null {
  for (const [name, list] of LISTS) if (list.check(address, type)) return name;
  return null;
}

/** The class an address is refused for, or null for a public address. */
export function refusedClassOf(address: string): RefusedClass | null {
  const { address: a, type } = unmapped(address);
  const own = classOf(a, type);
  if (own) return own;
  for (const inner of tunnelled(address)) {
    const found = classOf(inner, "ipv4");
    if (found) return found;
  }
  return null;
}

/** The operator's exceptions: host names, and addresses or CIDR ranges. */
export interface OperatorAllowList {
  names: Set<string>;
  addresses: BlockList;
}

export function compileOperatorAllowList(entries: readonly string[]): OperatorAllowList {
  const names = new Set<string>();
  const addresses = new BlockList();
  for (const entry of entries) {
    const [net, prefix] = entry.split("/");
    const type = isIP(net!);
    if (type === 0) names.add(entry.toLowerCase().replace(/\.$/, ""));
    else if (prefix !== undefined) addresses.addSubnet(net!, Number(prefix), type === 6 ? "ipv6" : "ipv4");
    else addresses.addAddress(net!, type === 6 ? "ipv6" : "ipv4");
  }
  return { names, addresses };
}

/** Why connecting to `address` (found for `host`) is refused, or null when it is allowed. */
export function addressRefusal(host: string, address: string, allow: OperatorAllowList): RefusedClass | null {
  const refused = refusedClassOf(address);
  if (refused === null) return null;
  if (allow.names.has(host.toLowerCase().replace(/^\[|\]$/g, ""))) return null;
  const { address: a, type } = unmapped(address);
  if (allow.addresses.check(a, type) || allow.addresses.check(address, isIP(address) === 6 ? "ipv6" : "ipv4")) return null;
  // A tunnel's address passes when every refused IPv4 it leads to is one the operator allows.
  const refusedInside = tunnelled(address).filter((inner) => classOf(inner, "ipv4") !== null);
  if (refusedInside.length > 0 && classOf(a, type) === null && refusedInside.every((inner) => allow.addresses.check(inner, "ipv4"))) return null;
  return refused;
}
