import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCxf } from '../../../src/backup/cxf';
import { BACKUP_KDF_COST, open, seal, WrongPassphraseError } from '../../../src/backup/envelope';
import { BackupFormatError } from '../../../src/backup/errors';
import { readBackupFile } from '../../../src/backup/import';
import { entry, EXPORTER } from './fixtures';

// Small enough to keep the suite quick; the shipped cost is used by the Python test below.
const CHEAP = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 };

describe('encrypted envelope', () => {
  it('opens with the passphrase it was sealed with (NFC or NFD typed alike)', async () => {
    const sealed = await seal('{"hello":"wörld"}', 'caf\u00e9 passphrase', CHEAP);
    expect(await open(JSON.parse(JSON.stringify(sealed)), 'cafe\u0301 passphrase')).toBe('{"hello":"wörld"}');
  });

  it('a wrong passphrase is refused with a sentence, and nothing is read', async () => {
    const sealed = await seal('secret', 'right passphrase', CHEAP);
    await expect(open(sealed, 'wrong passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(open(sealed, 'wrong passphrase')).rejects.toThrow(/does not open this file/);
  });

  it('a changed ciphertext or KDF parameter fails like a wrong passphrase', async () => {
    const sealed = await seal('secret', 'right passphrase', CHEAP);
    const flipped = { ...sealed, ciphertext: (sealed.ciphertext[0] === 'A' ? 'B' : 'A') + sealed.ciphertext.slice(1) };
    await expect(open(flipped, 'right passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
    const cheaper = { ...sealed, kdf: { ...sealed.kdf, iterations: 2 } };
    await expect(open(cheaper, 'right passphrase')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('a file asking for an absurd KDF cost is refused before any hashing', async () => {
    const sealed = await seal('secret', 'right passphrase', CHEAP);
    const huge = { ...sealed, kdf: { ...sealed.kdf, memoryKiB: 64 * 1024 * 1024 } };
    await expect(open(huge, 'right passphrase')).rejects.toThrow(/kdf: memoryKiB is outside/);
    await expect(open(huge, 'right passphrase')).rejects.toBeInstanceOf(BackupFormatError);
  });

  it('an encrypted file read without a passphrase asks for one', async () => {
    const sealed = await seal('{}', 'right passphrase', CHEAP);
    await expect(readBackupFile(JSON.stringify(sealed))).rejects.toThrow(/encrypted. Type its passphrase/);
  });
});

/** The ```python block of docs/backup.md "Decrypting it yourself". */
function pythonExample(): string {
  const doc = readFileSync(join(__dirname, '../../../docs/backup.md'), 'utf8');
  const match = /```python\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error('docs/backup.md has no ```python block');
  return match[1]!;
}

const PYTHON = '/usr/bin/python3';
const PYTHON_PACKAGES = 'python3 python3-cryptography python3-argon2';

/**
 * Debian's python3 with the modules the example imports. Like the browsers the end-to-end
 * tests need (scripts/chromium.mjs), they are installed when missing and we are root, so
 * `npm test` passes on a fresh machine.
 */
function ensurePythonModules(): void {
  const check = () => spawnSync(PYTHON, ['-c', 'import cryptography, argon2'], { encoding: 'utf8' });
  if (check().status === 0) return;
  const apt = 'apt-get -o DPkg::Lock::Timeout=600';
  if (process.getuid?.() === 0) {
    spawnSync('sh', ['-c', `${apt} update && DEBIAN_FRONTEND=noninteractive ${apt} install -y ${PYTHON_PACKAGES}`], { stdio: 'inherit' });
  }
  const after = check();
  if (after.status !== 0) {
    throw new Error(`${PYTHON} lacks cryptography or argon2-cffi. Install them as root: apt-get install -y ${PYTHON_PACKAGES}. ${after.error?.message ?? after.stderr}`);
  }
}

describe('docs/backup.md worked example', () => {
  it('decrypts a real encrypted export with Python’s cryptography and argon2-cffi', { timeout: 600_000 }, async () => {
    ensurePythonModules();
    const document = JSON.stringify(exportCxf([await entry('ES256'), await entry('EdDSA')], EXPORTER, Date.now()));
    const passphrase = 'correct horse battery staple, naïve';
    const sealed = await seal(document, passphrase, BACKUP_KDF_COST);
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-backup-'));
    const file = join(dir, 'latchkey-backup-2026-12-07.json');
    writeFileSync(file, JSON.stringify(sealed, null, 2));
    const run = spawnSync(PYTHON, ['-c', pythonExample(), file, passphrase], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(document);
    const wrong = spawnSync(PYTHON, ['-c', pythonExample(), file, 'not the passphrase'], { encoding: 'utf8' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/InvalidTag/);
  });
});
