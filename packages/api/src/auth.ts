// orchestrator's authentication methods. "" lets everyone change state; "basic" checks one user;
// "multi" also lets the user "readonly" in with any password, for reads only; "proxy" trusts a
// header set by an authenticating proxy and lets only PowerAuthUsers change state.
import { timingSafeEqual } from 'node:crypto';
import type { AuthSettings } from './deps.js';

/** Who is asking and what they may do; `undefined`: refuse with 401. */
export interface Caller {
  readonly user: string;
  readonly canMutate: boolean;
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || !/^Basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/**
 * Authenticates a request from its headers.
 *
 * @example
 * authenticate({ authorization: 'Basic b3JjOnNlY3JldA==' }, settings) // { user: 'orc', canMutate: true }
 */
export function authenticate(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  auth: AuthSettings,
): Caller | undefined {
  const header = (name: string): string | undefined => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  switch (auth.method) {
    case '':
      return { user: '', canMutate: true };
    case 'basic':
    case 'multi': {
      const c = basicCredentials(header('authorization'));
      if (c === undefined) return undefined;
      if (same(c.user, auth.user) && same(c.password, auth.password)) return { user: c.user, canMutate: true };
      if (auth.method === 'multi' && c.user === 'readonly') return { user: 'readonly', canMutate: false };
      return undefined;
    }
    case 'proxy': {
      const user = header(auth.userHeader) ?? '';
      return { user, canMutate: auth.powerUsers.includes('*') || (user !== '' && auth.powerUsers.includes(user)) };
    }
  }
}
