import { accessSync, constants } from 'node:fs';
import { TestEnvError } from '../errors.js';

/**
 * Throws `BINARY_MISSING` unless `path` is an executable file, naming the Debian package that
 * ships it. A missing server is always a failure, never a skip: CI must notice.
 */
export function requireExecutable(path: string, debianPackage: string, what: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch (cause) {
    throw new TestEnvError(
      'BINARY_MISSING',
      `${what} not found or not executable at ${path}: install the Debian package ${debianPackage} (tools/install-services installs every server the tests need)`,
      { cause, context: { path, debianPackage } },
    );
  }
}

/** Throws `BINARY_MISSING` unless `path` is a readable file (jars, scripts). */
export function requireReadable(path: string, debianPackage: string, what: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (cause) {
    throw new TestEnvError(
      'BINARY_MISSING',
      `${what} not found at ${path}: install the Debian package ${debianPackage} (tools/install-services installs every server the tests need)`,
      { cause, context: { path, debianPackage } },
    );
  }
}
