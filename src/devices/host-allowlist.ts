import { BlockList, isIP } from 'node:net';

/**
 * The hosts and networks jobs may target (ALLOWED_HOSTS: "10.0.0.0/8,192.168.1.1,core-sw1").
 * Empty means every host. Names match exactly (case-insensitive); addresses by CIDR.
 */
export class HostAllowList {
  private readonly networks = new BlockList();
  private readonly names = new Set<string>();
  readonly allowsAll: boolean;

  constructor(entries: string[]) {
    this.allowsAll = entries.length === 0;
    for (const entry of entries) this.add(entry);
  }

  allows(host: string): boolean {
    if (this.allowsAll) return true;
    const family = isIP(host);
    if (family === 0) return this.names.has(host.toLowerCase());
    return this.networks.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }

  private add(entry: string): void {
    const [address, bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) {
      if (bits !== undefined) throw new Error(`ALLOWED_HOSTS: "${entry}" is not a valid CIDR`);
      this.names.add(address.toLowerCase());
      return;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) return this.networks.addAddress(address, type);
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`ALLOWED_HOSTS: "${entry}" has an invalid prefix length`);
    }
    this.networks.addSubnet(address, prefix, type);
  }
}
