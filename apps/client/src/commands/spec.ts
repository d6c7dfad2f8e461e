// The shape of orchestrator-client's commands and the helpers their table is written with: for
// each command, the arguments it insists on (in the original's order, with its messages), the API
// path it calls and how it prints the answer.
import type { ClientOptions } from '../flags.js';
import { echoed, field, keyLine, keyLines, keyOrRaw, keyText, rawText, relocationLine, uriEncode } from '../format.js';

export type Need =
  | 'instance'
  | 'instance|alias'
  | 'destination'
  | 'owner'
  | 'reason'
  | 'duration'
  | 'promotion-rule'
  | 'tag'
  | 'pool'
  | 'hostname'
  | 'path'
  | 'query'
  | 'binlog'
  | 'seconds';

/** What a command runs with. */
export interface CommandContext {
  readonly options: ClientOptions;
  /** `-i` as `host/port`. */
  readonly instancePath: string;
  /** `-d` as `host/port`. */
  readonly destinationPath: string;
  /** `-alias`, else `-i` as given: the original's `${alias:-$instance}`. */
  readonly hint: string;
  readonly leaderApi: string;
  /** GET `<leader>/api/<path>`; resolves with the JSON answer, rejects on an ERROR answer. */
  readonly api: (path: string) => Promise<unknown>;
}

/** Lines for people (the original's output) and the JSON for `--json`. */
export interface CommandResult {
  readonly lines: readonly string[];
  readonly json: unknown;
}

/** One command. */
export interface CommandSpec {
  readonly name: string;
  readonly group: string;
  readonly summary: string;
  readonly needs: readonly Need[];
  /** Where the answer comes from, for --help (`instance/:host/:port`). */
  readonly route: string;
  /** What is printed, for --help. */
  readonly prints: string;
  /** `api -P`: an ERROR answer is printed whole on stdout, as the original's raw mode. */
  readonly rawErrors?: boolean;
  /** Runs without an API (help). */
  readonly local?: boolean;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/**
 * The value of a need in a context, for the "must be provided" check.
 *
 * @example
 * needValue('instance|alias', ctx)
 */
export function needValue(need: Need, ctx: Omit<CommandContext, 'api' | 'leaderApi'>): string {
  const o = ctx.options;
  const values: Record<Need, string> = {
    instance: ctx.instancePath,
    'instance|alias': ctx.hint,
    destination: ctx.destinationPath,
    owner: o.owner,
    reason: o.reason,
    duration: o.duration,
    'promotion-rule': o.promotionRule,
    tag: o.tag,
    pool: o.pool,
    hostname: o.hostname,
    path: o.path,
    query: o.query,
    binlog: o.binlog,
    seconds: o.seconds,
  };
  return values[need];
}

/** How a command prints an API answer for people. */
export type Render = (body: unknown, ctx: CommandContext) => string[];

/**
 * The command table under construction: `add` for commands that GET one path and render the
 * answer, `push` for the few that do more.
 *
 * @example
 * const t = new CommandTable();
 * t.add('kv', 'submit-masters-to-kv-stores', 'Write primaries', [], 'submit-masters-to-kv-stores', 'key:value', () => 'submit-masters-to-kv-stores', none);
 */
export class CommandTable {
  readonly specs: CommandSpec[] = [];

  add(
    group: string,
    names: string | readonly string[],
    summary: string,
    needs: readonly Need[],
    route: string,
    prints: string,
    path: (ctx: CommandContext, name: string) => string,
    render: Render,
  ): void {
    for (const name of typeof names === 'string' ? [names] : names) {
      this.specs.push({
        name,
        group,
        summary,
        needs,
        route: route.replace('$name', name),
        prints,
        run: async (ctx) => {
          const body = await ctx.api(path(ctx, name));
          return { lines: render(body, ctx), json: body };
        },
      });
    }
  }

  push(...specs: CommandSpec[]): void {
    this.specs.push(...specs);
  }
}

/** The `Details` of an orchestrator answer. */
export const details = (body: unknown): unknown => field(body, 'Details');
/** A path segment: encoded, but `host:port` keeps its colon as the original sends it. */
export const seg = (text: string): string => uriEncode(text).replace(/%3A/g, ':');

export const none: Render = () => [];
export const detailsKey: Render = (b) => [keyLine(details(b))];
export const detailsKeyOrRaw: Render = (b) => [keyOrRaw(details(b))];
export const detailsKeys: Render = (b) => keyLines(details(b));
export const detailsRaw: Render = (b) => [rawText(details(b))];
export const detailsEchoed: Render = (b) => [echoed(details(b))];
export const bodyKeys: Render = (b) => keyLines(b);
export const bodyKey: Render = (b) => [keyLine(b)];
export const successor: Render = (b) => [keyText(field(details(b), 'SuccessorKey'))];
export const relocation: Render = (b) => [relocationLine(details(b))];
/** `<name>/<host>/<port>` of `-i`. */
export const at = (name: string) => (c: CommandContext) => `${name}/${c.instancePath}`;
/** `<name>/<alias or -i>`. */
export const atHint = (name: string) => (c: CommandContext) => `${name}/${seg(c.hint)}`;
/** The route of a command about one instance, for --help. */
export const I = 'instance/:host/:port';
/** `<name>/<-i>[/<-d>]`: a refactoring path, with the destination when one was given. */
export const withDestination = (c: CommandContext, name: string): string =>
  c.destinationPath === '' ? `${name}/${c.instancePath}` : `${name}/${c.instancePath}/${c.destinationPath}`;
