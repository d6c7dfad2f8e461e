// The text orchestrator-client prints, rebuilt from what its jq filters and bash `echo` do, so
// that scripts parsing it keep working. Pure functions of the daemon's JSON.

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field of an object; jq's `.Field` gives null on null or a missing field. */
export function field(v: Json, name: string): Json {
  return isObject(v) ? (v[name] ?? null) : null;
}

/**
 * jq `-r .`: a string as is, anything else as jq's indented JSON.
 *
 * @example
 * rawText('enabled') // 'enabled'
 */
export function rawText(v: Json): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v === undefined ? null : v, null, 2);
}

/**
 * bash `echo $json` over `jq .` output: one line, every run of whitespace one space (also inside
 * strings, as the original's unquoted echo does).
 *
 * @example
 * echoed({ Code: 'OK', Details: [1] }) // '{ "Code": "OK", "Details": [ 1 ] }'
 */
export function echoed(v: Json): string {
  return rawJson(v)
    .split(/[ \t\n]+/)
    .filter((w) => w !== '')
    .join(' ');
}

function rawJson(v: Json): string {
  return JSON.stringify(v === undefined ? null : v, null, 2);
}

/**
 * `.Hostname + ":" + (.Port | tostring)`, jq's way: null parts print as jq prints them.
 *
 * @example
 * keyText({ Hostname: 'db1', Port: 3306 }) // 'db1:3306'
 */
export function keyText(key: Json): string {
  const host = field(key, 'Hostname');
  const port = field(key, 'Port');
  return `${typeof host === 'string' ? host : ''}:${port === null ? 'null' : String(port)}`;
}

/**
 * `.Key`, or the value itself when it already is an instance key (the daemon answers some
 * commands with a bare key where the original's filter expects an instance).
 *
 * @example
 * instanceKeyOf({ Key: { Hostname: 'db1', Port: 3306 } }) // { Hostname: 'db1', Port: 3306 }
 */
export function instanceKeyOf(v: Json): Json {
  if (isObject(v) && !('Key' in v) && 'Hostname' in v) return v;
  return field(v, 'Key');
}

/** `jq '.[]'`: the elements of an array; nothing for anything else. */
export function elements(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

/**
 * `.[] | .Key` then print_key: one `host:port` per element.
 *
 * @example
 * keyLines([{ Key: { Hostname: 'a', Port: 1 } }]) // ['a:1']
 */
export function keyLines(list: Json): string[] {
  return elements(list).map((i) => keyText(instanceKeyOf(i)));
}

/** The key line of one value whose `Key` names an instance: print_key over filter_key. */
export function keyLine(v: Json): string {
  return keyText(instanceKeyOf(v));
}

/**
 * A key or, when the daemon answers with something that is no key (a maintenance id, a count),
 * that value as jq -r prints it.
 */
export function keyOrRaw(v: Json): string {
  return isObject(v) ? keyText(v) : rawText(v);
}

/**
 * The relocation line `instance<master` from an instance.
 *
 * @example
 * relocationLine({ Key: { Hostname: 'r1', Port: 3306 }, MasterKey: { Hostname: 'm', Port: 3306 } }) // 'r1:3306<m:3306'
 */
export function relocationLine(instance: Json): string {
  return `${keyText(instanceKeyOf(instance))}<${keyText(field(instance, 'MasterKey'))}`;
}

/**
 * `replication-analysis`: `host:port (cluster name): Analysis`, or the first structure analysis
 * when the analysis is NoProblem.
 *
 * @example
 * analysisLines([{ AnalyzedInstanceKey: { Hostname: 'm', Port: 1 }, ClusterDetails: { ClusterName: 'm:1' }, Analysis: 'DeadMaster' }])
 * // ['m:1 (cluster m:1): DeadMaster']
 */
export function analysisLines(entries: Json): string[] {
  return elements(entries).map((e) => {
    const cluster = field(field(e, 'ClusterDetails'), 'ClusterName');
    const head = `${keyText(field(e, 'AnalyzedInstanceKey'))} (cluster ${typeof cluster === 'string' ? cluster : ''}): `;
    const analysis = field(e, 'Analysis');
    const structure = elements(field(e, 'StructureAnalysis'))[0];
    const tail = analysis === 'NoProblem' ? structure : analysis;
    return head + (typeof tail === 'string' ? tail : '');
  });
}

/**
 * `dominant-dc`: the data center of most masters (`sort | uniq -c | sort -nr | head -n1`: a tie
 * goes to the name that sorts last). Undefined when there are no masters.
 *
 * @example
 * dominantDataCenter([{ DataCenter: 'a' }, { DataCenter: 'b' }, { DataCenter: 'b' }]) // 'b'
 */
export function dominantDataCenter(masters: Json): string | undefined {
  const counts = new Map<string, number>();
  for (const m of elements(masters)) {
    const dc = field(m, 'DataCenter');
    const name = typeof dc === 'string' ? dc : 'null';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of counts) {
    if (best === undefined || entry[1] > best[1] || (entry[1] === best[1] && entry[0] > best[0])) best = entry;
  }
  // awk '{print $2}' prints the first word of the name only.
  return best === undefined ? undefined : (best[0].trim().split(/\s+/)[0] ?? '');
}

/**
 * The daemon's ERROR message as the original prints it (`tr -d "'" | xargs echo`): quotes
 * removed, whitespace collapsed.
 *
 * @example
 * errorMessageText("no cluster named 'x'") // 'no cluster named x'
 */
export function errorMessageText(message: Json): string {
  return (typeof message === 'string' ? message : rawText(message))
    .replace(/['"]/g, '')
    .split(/\s+/)
    .filter((w) => w !== '')
    .join(' ');
}

/**
 * Replicas whose threads are stopped with an error (the original's which-broken-replicas filter).
 */
export function brokenReplicas(list: Json): Json[] {
  return elements(list).filter(
    (r) =>
      (field(r, 'ReplicationSQLThreadRuning') === false || field(r, 'ReplicationIOThreadRuning') === false) &&
      (nonEmpty(field(r, 'LastSQLError')) || nonEmpty(field(r, 'LastIOError'))),
  );
}

const nonEmpty = (v: Json): boolean => v !== '';

/** Replicas with both threads running (which-cluster-osc-running-replicas). */
export function runningReplicas(list: Json): Json[] {
  return elements(list).filter(
    (r) => field(r, 'ReplicationSQLThreadRuning') === true && field(r, 'ReplicationIOThreadRuning') === true,
  );
}

/**
 * jq `@uri`: every byte but `A-Za-z0-9-_.~` percent-encoded.
 *
 * @example
 * uriEncode('a b/c') // 'a%20b%2Fc'
 */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
