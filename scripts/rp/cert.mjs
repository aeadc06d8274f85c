// @ts-check
// A throwaway self-signed TLS certificate for the demo relying party over https (related
// origins tests: https://<rpId>/.well-known/webauthn must be https). Made with openssl.
//
//   const { key, cert } = selfSignedCertificate(['rp.test', 'login.test']);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A P-256 key and a one-day certificate naming `hosts`, as PEM text.
 * @param {string[]} hosts @returns {{ key: string, cert: string }}
 */
export function selfSignedCertificate(hosts) {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const made = spawnSync('openssl', [
      'req', '-x509', '-nodes', '-days', '1',
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', keyFile, '-out', certFile,
      '-subj', `/CN=${hosts[0]}`,
      '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
    ], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr || made.error}`);
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
