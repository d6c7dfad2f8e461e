// How a route is declared: its paths (GET and POST, as orchestrator serves both), the schemas of
// its parameters, whether it changes state, and a handler that gets typed, validated values.
import type { FastifyReply } from 'fastify';
import type { Static, TSchema } from 'typebox';

/** One route and its synonyms. */
export interface RouteDef<P extends TSchema, Q extends TSchema> {
  /** Paths under `<URLPrefix>`, e.g. `/api/forget/:host/:port`. */
  readonly paths: readonly string[];
  readonly params?: P;
  readonly query?: Q;
  /** Changes state: refused for read-only callers and under `ReadOnly`. */
  readonly mutates?: boolean;
  /** Served without authentication (probes a load balancer or Kubernetes makes). */
  readonly open?: boolean;
  /** Raft mode: a follower forwards it to the leader. Default: `mutates`. */
  readonly proxy?: boolean;
  readonly handler: (input: { params: Static<P>; query: Static<Q> }, reply: FastifyReply) => Promise<unknown>;
}

/** Registers a {@link RouteDef}; given to each routes module. */
export type Register = <P extends TSchema, Q extends TSchema>(def: RouteDef<P, Q>) => void;

/** What a route stores in fastify's per-route config. */
export interface RouteFlags {
  readonly mutates: boolean;
  readonly open: boolean;
  readonly proxy: boolean;
}
