// Instance tags, with orchestrator's paths: the tag comes as `?tag=name[=value]` or as path segments.
import { Type } from 'typebox';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { ok } from '../response.js';
import type { Register } from '../route.js';
import { Host, Port, Text } from '../schemas.js';
import { keyOf } from './lookup.js';

/** `name` or `name=value` from a `tag` query or path segments; a missing name is a 400. */
function parseTag(query: string | undefined, name?: string, value?: string): { name: string; value?: string } {
  if (name !== undefined) return { name, ...(value === undefined ? {} : { value }) };
  const raw = query ?? '';
  const eq = raw.indexOf('=');
  const parsed = eq < 0 ? { name: raw } : { name: raw.slice(0, eq), value: raw.slice(eq + 1) };
  if (parsed.name === '')
    throw new ApiError('BAD_REQUEST', 'tag: expected name or name=value', {
      details: [{ path: 'tag', message: 'expected name or name=value' }],
    });
  return parsed;
}

/**
 * Registers the tag routes (`tags`, `tag-value`, `tag`, `untag`, `untag-all`, `tagged`).
 *
 * @example
 * tagRoutes(register, deps);
 */
export function tagRoutes(register: Register, deps: ApiDeps): void {
  const { view, commands } = deps;
  const TagQuery = Type.Object({ tag: Type.Optional(Text) });
  const InstanceTagParams = Type.Object({
    host: Host,
    port: Port,
    tagName: Type.Optional(Text),
    tagValue: Type.Optional(Text),
  });
  const TagParams = Type.Object({ tagName: Type.Optional(Text), tagValue: Type.Optional(Text) });

  register({
    paths: ['/api/tagged'],
    query: TagQuery,
    handler: async ({ query }) => {
      const tag = parseTag(query.tag);
      return view.taggedInstances(tag.name, tag.value);
    },
  });
  register({
    paths: ['/api/tags/:host/:port'],
    params: InstanceTagParams,
    handler: async ({ params }) =>
      (await view.instanceTags(keyOf(params))).map((t) => (t.value === '' ? t.name : `${t.name}=${t.value}`)),
  });
  register({
    paths: ['/api/tag-value/:host/:port', '/api/tag-value/:host/:port/:tagName'],
    params: InstanceTagParams,
    query: TagQuery,
    handler: async ({ params, query }) => {
      const tag = parseTag(query.tag, params.tagName);
      const found = (await view.instanceTags(keyOf(params))).find((t) => t.name === tag.name);
      if (found === undefined) throw new ApiError('NOT_FOUND', `tag ${tag.name} not found on ${keyOf(params)}`);
      return found.value;
    },
  });
  register({
    paths: ['/api/tag/:host/:port', '/api/tag/:host/:port/:tagName/:tagValue'],
    params: InstanceTagParams,
    query: TagQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const tag = parseTag(query.tag, params.tagName, params.tagValue);
      const key = keyOf(params);
      await commands.submit({ kind: 'put-instance-tag', key, name: tag.name, value: tag.value ?? '' });
      return ok(`${key} tagged with ${tag.name}=${tag.value ?? ''}`, key);
    },
  });
  register({
    paths: ['/api/untag/:host/:port', '/api/untag/:host/:port/:tagName'],
    params: InstanceTagParams,
    query: TagQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const tag = parseTag(query.tag, params.tagName);
      const key = keyOf(params);
      const out = await commands.submit({ kind: 'delete-instance-tag', key, name: tag.name, value: tag.value });
      return ok(`${key} untagged: ${tag.name}`, out.keys);
    },
  });
  register({
    paths: ['/api/untag-all', '/api/untag-all/:tagName/:tagValue'],
    params: TagParams,
    query: TagQuery,
    mutates: true,
    handler: async ({ params, query }) => {
      const tag = parseTag(query.tag, params.tagName, params.tagValue);
      const out = await commands.submit({
        kind: 'delete-instance-tag',
        key: undefined,
        name: tag.name,
        value: tag.value,
      });
      return ok(`Untagged ${out.keys.length} instances: ${tag.name}`, out.keys);
    },
  });
}
