// Rows of @orc/api's keys: the path prefix, authentication and the status endpoint, with
// orchestrator's names and defaults.
import { checks, type KeySpec, type KeyValues } from '../key-spec.js';

/** @orc/api's keys (owner `api`). */
export const apiKeys: readonly KeySpec[] = [
  {
    key: 'URLPrefix',
    owner: 'api',
    field: 'urlPrefix',
    default: '',
    check: (v) =>
      v === '' || (typeof v === 'string' && /^\/[A-Za-z0-9._~\-/]*[^/]$/.test(v))
        ? undefined
        : `must be "" or a path like "/orchestrator", got ${JSON.stringify(v)}`,
    doc: 'Serve every route under this path ("/orchestrator/api/...").',
  },
  {
    key: 'AuthenticationMethod',
    owner: 'api',
    field: 'auth.method',
    default: '',
    check: checks.oneOf('', 'basic', 'multi', 'proxy'),
    doc: '"" (none), "basic" (HTTPAuthUser), "multi" (basic, plus user "readonly" with any password read-only) or "proxy" (AuthUserHeader).',
  },
  {
    key: 'HTTPAuthUser',
    owner: 'api',
    field: 'auth.user',
    default: '',
    check: checks.string,
    doc: 'basic/multi: the user name.',
  },
  {
    key: 'HTTPAuthPassword',
    owner: 'api',
    field: 'auth.password',
    default: '',
    check: checks.string,
    secret: true,
    doc: 'basic/multi: the password.',
  },
  {
    key: 'AuthUserHeader',
    owner: 'api',
    field: 'auth.userHeader',
    default: 'X-Forwarded-User',
    check: checks.string,
    doc: 'proxy: the header naming the authenticated user.',
  },
  {
    key: 'PowerAuthUsers',
    owner: 'api',
    field: 'auth.powerUsers',
    default: ['*'],
    check: checks.stringArray,
    doc: 'proxy: users allowed to change state ("*": everyone); the others are read-only.',
  },
  {
    key: 'ReadOnly',
    owner: 'api',
    field: 'readOnly',
    default: false,
    check: checks.boolean,
    doc: 'Refuse every state change through the API, whoever asks.',
  },
  {
    key: 'StatusEndpoint',
    owner: 'api',
    field: 'statusEndpoint',
    default: '/api/status',
    check: (v) =>
      typeof v === 'string' && v.startsWith('/')
        ? undefined
        : `must be a path starting with "/", got ${JSON.stringify(v)}`,
    doc: 'The path of the status check (same answer as /api/health).',
  },
];

/** What @orc/api's auth and routing take from the config. */
export interface ApiSettings {
  readonly urlPrefix: string;
  readonly auth: {
    readonly method: '' | 'basic' | 'multi' | 'proxy';
    readonly user: string;
    readonly password: string;
    readonly userHeader: string;
    readonly powerUsers: readonly string[];
  };
  readonly readOnly: boolean;
  readonly statusEndpoint: string;
}

/**
 * @orc/api's settings from checked values.
 *
 * @example
 * buildApiConfig(values).auth.method // 'basic'
 */
export function buildApiConfig(v: KeyValues): ApiSettings {
  return {
    urlPrefix: v['URLPrefix'] as string,
    auth: {
      method: v['AuthenticationMethod'] as ApiSettings['auth']['method'],
      user: v['HTTPAuthUser'] as string,
      password: v['HTTPAuthPassword'] as string,
      userHeader: v['AuthUserHeader'] as string,
      powerUsers: v['PowerAuthUsers'] as string[],
    },
    readOnly: v['ReadOnly'] as boolean,
    statusEndpoint: v['StatusEndpoint'] as string,
  };
}
