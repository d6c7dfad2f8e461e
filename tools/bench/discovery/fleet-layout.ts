// The simulated fleet: server i (0-based) of cluster c = floor(i / 5) lives on its own loopback
// address 127.20.<i / 250>.<i % 250 + 1>; member 0 of each cluster is the primary, members 1-4
// replicate from it.
export const MEMBERS_PER_CLUSTER = 5;

export function addressOf(i: number): string {
  return `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

export function indexOf(address: string): number {
  const m = /^(?:::ffff:)?127\.20\.(\d+)\.(\d+)$/.exec(address);
  if (!m) return -1;
  return Number(m[1]) * 250 + Number(m[2]) - 1;
}

export function primaryOf(i: number): number {
  return i - (i % MEMBERS_PER_CLUSTER);
}
