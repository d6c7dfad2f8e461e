// The `[client]` user and password of a my.cnf-style credentials file, read as orchestrator's
// config parser (gcfg) reads it. orchestrator has two such keys, MySQLOrchestratorCredentialsConfigFile
// (backend) and MySQLTopologyCredentialsConfigFile (topology): both rows' builders read through here
// and wrap a problem in their own package's error, naming their own key.
import type { ConfigIo } from './key-spec.js';

/** The credentials, or what is wrong with the file (already naming it). */
export type ClientCredentials = { readonly user: string; readonly password: string } | { readonly problem: string };

/**
 * `user` and `password` from the `[client]` section of the file at `path`. A missing or empty
 * `user=` is a problem (a credentials file that names nobody is a mistake); a missing
 * `password=` is the empty password.
 *
 * @example
 * ```ts
 * const c = readClientCredentials('/etc/orc/topology.cnf', { readFile: (p) => readFileSync(p, 'utf8') });
 * if ('problem' in c) problems.push({ path: 'MySQLTopologyCredentialsConfigFile', message: c.problem });
 * ```
 */
export function readClientCredentials(path: string, io: ConfigIo): ClientCredentials {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (err) {
    return { problem: `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  let parsed: ReadonlyMap<string, string>;
  try {
    parsed = parseClientSection(text);
  } catch (err) {
    return { problem: `${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const user = parsed.get('user');
  if (user === undefined || user === '') return { problem: `${path} has no user= in its [client] section` };
  return { user, password: parsed.get('password') ?? '' };
}

/**
 * The variables of the `[client]` section (names lower-cased; the last assignment wins) of an
 * INI-style file in the git-config syntax orchestrator's parser (gcfg) reads: `;` and `#` start
 * comments, names are case-insensitive, values may be double-quoted with `\"`, `\\`, `\n`, `\t`
 * escapes. Other sections are skipped.
 */
function parseClientSection(text: string): ReadonlyMap<string, string> {
  const vars = new Map<string, string>();
  let section: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]\s*(?:[;#].*)?$/.exec(line);
    if (header !== null) {
      section = (header[1] ?? '').toLowerCase();
      continue;
    }
    const assignment = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (assignment === null) throw new Error(`line ${i + 1}: expected [section] or name = value`);
    if (section === undefined) throw new Error(`line ${i + 1}: a variable before any [section]`);
    if (section !== 'client') continue;
    // A name without "=" is a boolean in gcfg; for user and password it means an empty value.
    vars.set((assignment[1] ?? '').toLowerCase(), unquote(assignment[2] ?? '', i + 1));
  }
  return vars;
}

function unquote(raw: string, lineNo: number): string {
  let out = '';
  let quoted = false;
  let pendingSpace = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (!quoted && (c === ';' || c === '#')) break;
    if (c === '"') {
      out += pendingSpace;
      pendingSpace = '';
      quoted = !quoted;
      continue;
    }
    if (c === '\\') {
      const next = raw[++i];
      const escaped = next === 'n' ? '\n' : next === 't' ? '\t' : next === '"' || next === '\\' ? next : undefined;
      if (escaped === undefined) throw new Error(`line ${lineNo}: unknown escape \\${next ?? ''}`);
      out += pendingSpace + escaped;
      pendingSpace = '';
      continue;
    }
    if (!quoted && (c === ' ' || c === '\t')) {
      // Unquoted whitespace counts only between words: trailing blanks are dropped.
      if (out !== '') pendingSpace += c;
      continue;
    }
    out += pendingSpace + c;
    pendingSpace = '';
  }
  if (quoted) throw new Error(`line ${lineNo}: unterminated quote`);
  return out;
}
