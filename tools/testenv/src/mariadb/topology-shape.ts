import { ConfigProblems, NAME_PATTERN } from '../core/config-check.js';

/** One server of a topology: its name and, for a replica, the name of its source. */
export interface TopologyMember {
  readonly name: string;
  /** The member it replicates from; absent for the primary. */
  readonly source?: string;
  /** server_id; default the port. */
  readonly serverId?: number;
  /** Extra mariadbd options for this member only. */
  readonly extraArgs?: readonly string[];
}

/**
 * A topology as data, or a shorthand: `'1'` (a primary alone), `'1+2'` (primary `p` with replicas
 * `r1`, `r2`), `'1+2+1'` (plus `r3` below `r2`: each further number hangs that many replicas below
 * the last replica of the previous level).
 */
export type TopologyShape = string | readonly TopologyMember[];

/**
 * Turns a shape into members ordered so that every source comes before its replicas; throws
 * `INVALID_CONFIG` naming every problem (unknown source, duplicate name, cycle, several primaries).
 *
 * @example
 * ```ts
 * parseTopologyShape('1+2'); // [{ name: 'p' }, { name: 'r1', source: 'p' }, { name: 'r2', source: 'p' }]
 * ```
 */
export function parseTopologyShape(shape: TopologyShape): TopologyMember[] {
  const problems = new ConfigProblems('topology shape');
  const members = typeof shape === 'string' ? fromShorthand(shape, problems) : fromData(shape, problems);
  problems.throwIfAny();
  return members;
}

function fromShorthand(text: string, problems: ConfigProblems): TopologyMember[] {
  const match = /^1(\+[1-9]\d?)*$/.exec(text.trim());
  if (match === null) {
    problems.add('shape', `"${text}" is not a shorthand like "1", "1+2" or "1+2+1"`);
    return [];
  }
  const levels = text.trim().split('+').slice(1).map(Number);
  const members: TopologyMember[] = [{ name: 'p' }];
  let source = 'p';
  let next = 1;
  for (const count of levels) {
    let last = source;
    for (let i = 0; i < count; i++) {
      last = `r${next++}`;
      members.push({ name: last, source });
    }
    source = last;
  }
  if (members.length > 20) problems.add('shape', `"${text}" has ${members.length} servers; at most 20`);
  return members;
}

function fromData(list: readonly TopologyMember[], problems: ConfigProblems): TopologyMember[] {
  if (!Array.isArray(list) || list.length === 0) {
    problems.add('shape', 'must be a shorthand string or a non-empty list of { name, source? }');
    return [];
  }
  const byName = new Map<string, TopologyMember>();
  list.forEach((m, i) => {
    if (typeof m !== 'object' || m === null) {
      problems.add(`shape.${i}`, 'must be an object { name, source? }');
      return;
    }
    if (typeof m.name !== 'string' || !NAME_PATTERN.test(m.name))
      problems.add(`shape.${i}.name`, `must match ${NAME_PATTERN}`);
    else if (byName.has(m.name)) problems.add(`shape.${i}.name`, `"${m.name}" is used twice`);
    else byName.set(m.name, m);
    if (m.source !== undefined && typeof m.source !== 'string')
      problems.add(`shape.${i}.source`, 'must be a member name');
    if (m.serverId !== undefined && !(Number.isInteger(m.serverId) && m.serverId > 0))
      problems.add(`shape.${i}.serverId`, 'must be a positive integer');
  });
  const roots = list.filter((m) => typeof m === 'object' && m !== null && m.source === undefined);
  if (roots.length !== 1)
    problems.add('shape', `must have exactly one primary (a member without source); found ${roots.length}`);
  list.forEach((m, i) => {
    if (typeof m === 'object' && m !== null && typeof m.source === 'string' && !byName.has(m.source)) {
      problems.add(`shape.${i}.source`, `"${m.source}" is not a member`);
    }
  });
  // Order sources before replicas; whatever cannot be placed sits on a cycle.
  const ordered: TopologyMember[] = [];
  const placed = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const m of byName.values()) {
      if (placed.has(m.name)) continue;
      if (m.source === undefined || placed.has(m.source)) {
        ordered.push(m);
        placed.add(m.name);
        progress = true;
      }
    }
  }
  const unplaced = [...byName.keys()].filter(
    (n) => !placed.has(n) && byName.get(n)?.source !== undefined && byName.has(byName.get(n)?.source ?? ''),
  );
  if (unplaced.length > 0) problems.add('shape', `replication cycle among ${unplaced.join(', ')}`);
  return ordered;
}
