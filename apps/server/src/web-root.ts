// Where the daemon finds the web page (apps/web's build output): beside a built daemon
// (`dist/web/`, copied there by the build) or in the repository (`apps/web/dist/`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The first folder holding the page's index.html, else the repository's (served as "not built").
 *
 * @example
 * buildApi({ ...deps, options: { ...options, webRoot: findWebRoot() } });
 */
export function findWebRoot(): string {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../web/dist/', import.meta.url)].map((u) =>
    fileURLToPath(u),
  );
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? (candidates[1] as string);
}
