// Throwaway certificates for the TLS integration tests, made with the openssl binary in a
// temporary directory, so no key material is checked in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate pair in PEM. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** A directory of throwaway certificates; `remove()` deletes it. */
export interface CertDir {
  /** Makes a self-signed CA `name` (also usable as a leaf's own CA) and returns its key pair. */
  makeCa(name: string): KeyPair;
  /** Makes a leaf certificate `name` signed by the CA `ca` made before. */
  makeCert(name: string, ca: string): KeyPair;
  remove(): void;
}

/**
 * Opens a temporary directory for certificates.
 * @example
 * const certs = certDir('orc-raft-tls-');
 * const ca = certs.makeCa('ca').cert;
 * const a = certs.makeCert('a', 'ca');
 */
export function certDir(prefix: string): CertDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const read = (name: string): KeyPair => ({
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
  });
  // Every key is P-256: quick to generate, and accepted by Node's default TLS settings.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  return {
    makeCa(name) {
      ossl(
        'req',
        '-x509',
        ...newKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
      );
      return read(name);
    },
    makeCert(name, ca) {
      ossl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      ossl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
      );
      return read(name);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
