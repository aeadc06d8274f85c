// The backup page (popup.html#backup, docs/backup.md; hooks in docs/development.md#testids):
// export to a CXF file, encrypted by default, after the PIN; import from CXF, Bitwarden JSON or
// KeePassXC after a preview. A page in a tab, because a toolbar popup closes when a file
// picker or a download opens (Firefox).
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PreviewLine } from '../../src/protocol/backup';
import { passphraseProblem, type ExportResult, type ImportResult, type PreviewResult } from '../../src/protocol/backup';
import { PinField } from '../vault/PinField';
import { askBackup, download, selectedIds } from './backup-client';
import './backup.css';

export function BackupPage() {
  const ids = selectedIds(location.search);
  return (
    <main class="backup">
      <header class="backup-header">
        <h1>Back up and import passkeys</h1>
        <a class="button small-button" href={browser.runtime.getURL('/popup.html')}>Passkeys</a>
      </header>
      <ExportSection ids={ids} />
      <ImportSection />
    </main>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function ExportSection({ ids }: { ids: string[] | null }) {
  const [open, setOpen] = useState(false);
  const [plain, setPlain] = useState(false);
  const [plainConfirmed, setPlainConfirmed] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [askPin, setAskPin] = useState(false);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<ExportResult | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!plain) {
      const weak = passphraseProblem(passphrase);
      if (weak) return setError(weak);
      if (passphrase !== confirm) return setError('The two passphrases are not the same.');
    }
    if (!askPin) return setAskPin(true);
    setBusy(true);
    const answer = await askBackup({ type: 'backup:export', pin, passphrase: plain ? null : passphrase, ids });
    setBusy(false);
    setPin('');
    if (!answer.ok) return setError(answer.message);
    download(answer.text, answer.fileName);
    setDone(answer);
    setOpen(false);
    setAskPin(false);
    setPassphrase('');
    setConfirm('');
  };

  return (
    <section class="backup-section" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p class="muted">
        {ids ? `The ${plural(ids.length, 'passkey')} you selected` : 'Every passkey'} in a CXF file (the FIDO Alliance’s Credential Exchange Format),
        which other passkey managers import. Keep it somewhere safe: it can sign in to your accounts.
      </p>
      {!open ? (
        <button type="button" class="button primary" data-testid="export-start" onClick={() => {
          setOpen(true);
          setDone(undefined);
        }}>Export passkeys…</button>
      ) : (
        <form class="vault-form" onSubmit={submit} aria-busy={busy}>
          {!plain && (
            <>
              <PinField testId="export-passphrase" label="Passphrase for the file (8 characters or more)" value={passphrase} onInput={setPassphrase} autoComplete="new-password" autoFocus />
              <PinField testId="export-passphrase-confirm" label="The passphrase again" value={confirm} onInput={setConfirm} autoComplete="new-password" />
            </>
          )}
          <label class="check">
            <input type="checkbox" data-testid="export-plain" checked={plain} onChange={(event) => {
              setPlain(event.currentTarget.checked);
              setPlainConfirmed(false);
              setAskPin(false);
            }} />
            Export without encryption
          </label>
          {plain && (
            <div class="warning" role="note">
              <p>A plain file holds every private key in the clear. Anyone who gets a copy (a synced folder, a backup drive, another
                program) can sign in to your accounts with it. Delete it once you have imported it elsewhere.</p>
              <label class="check">
                <input type="checkbox" data-testid="export-plain-confirm" checked={plainConfirmed} onChange={(event) => setPlainConfirmed(event.currentTarget.checked)} />
                I understand: save the passkeys unencrypted
              </label>
            </div>
          )}
          {askPin && <PinField testId="uv-pin" label="Your Latchkey PIN, to confirm the export" value={pin} onInput={setPin} autoComplete="current-password" autoFocus />}
          {error && <p class="error" role="alert" data-testid="export-error">{error}</p>}
          <div class="actions">
            <button type="submit" class="button primary" data-testid="export-submit" disabled={busy || (plain && !plainConfirmed)}>
              {askPin ? 'Export' : 'Continue'}
            </button>
          </div>
        </form>
      )}
      {done && (
        <p class="muted" role="status" data-testid="export-result">
          Saved {plural(done.exported, 'passkey')} to {done.fileName}.
          {done.excluded.length > 0 && ` Left out ${plural(done.excluded.length, 'passkey')} that keep a signature counter, which CXF does not allow to export: ${done.excluded.map((p) => `${p.friendlyName} (${p.rpId})`).join(', ')}.`}
        </p>
      )}
    </section>
  );
}

const STATUS_LABEL: Record<PreviewLine['status'], string> = {
  add: 'Add',
  'add-earlier': 'Add as the earlier one',
  skip: 'Skip',
  'existing-earlier': 'Becomes the earlier one',
};

function ImportSection() {
  const [text, setText] = useState<string | undefined>();
  const [needsPassphrase, setNeedsPassphrase] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [preview, setPreview] = useState<PreviewResult | undefined>();
  const [result, setResult] = useState<ImportResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const runPreview = async (fileText: string, typed: string | null) => {
    setBusy(true);
    setError(undefined);
    setPreview(undefined);
    const answer = await askBackup({ type: 'backup:preview', text: fileText, passphrase: typed });
    setBusy(false);
    if (answer.ok) return setPreview(answer);
    if (answer.problem === 'passphrase-needed') return setNeedsPassphrase(true);
    setError(answer.message);
  };

  const onFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    setResult(undefined);
    setNeedsPassphrase(false);
    setPassphrase('');
    if (!file) return setText(undefined);
    const fileText = await file.text();
    setText(fileText);
    await runPreview(fileText, null);
  };

  const confirm = async () => {
    if (text === undefined) return;
    setBusy(true);
    const answer = await askBackup({ type: 'backup:import', text, passphrase: needsPassphrase ? passphrase : null });
    setBusy(false);
    setPreview(undefined);
    if (!answer.ok) return setError(answer.message);
    setResult(answer);
    setNeedsPassphrase(false);
    setPassphrase('');
  };

  return (
    <section class="backup-section" aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <p class="muted">From a Latchkey or other CXF export, a Bitwarden JSON export (unencrypted), or a KeePassXC .passkey file.
        You see what will be added before anything is.</p>
      <label class="field">
        <span>Backup file</span>
        <input type="file" data-testid="import-file" accept=".json,.passkey,application/json" onChange={(event) => void onFile(event)} />
      </label>
      {needsPassphrase && (
        <form class="vault-form" onSubmit={(event) => {
          event.preventDefault();
          if (text !== undefined) void runPreview(text, passphrase);
        }}>
          <PinField testId="import-passphrase" label="The file’s passphrase" value={passphrase} onInput={setPassphrase} autoComplete="current-password" autoFocus />
          <div class="actions">
            <button type="submit" class="button" data-testid="import-open" disabled={busy || passphrase === ''}>Open the file</button>
          </div>
        </form>
      )}
      {error && <p class="error" role="alert" data-testid="import-error">{error}</p>}
      {preview && (
        <div class="preview">
          <p>{plural(preview.adding, 'passkey')} to add{preview.skipping > 0 ? `, ${preview.skipping} skipped` : ''}.</p>
          <ul class="preview-list" data-testid="import-preview">
            {preview.lines.map((line, i) => (
              <li key={i} data-status={line.status}>
                <strong>{STATUS_LABEL[line.status]}:</strong> {line.title}
                {line.rpId && <span class="muted"> · {line.rpId}{line.userName ? ` · ${line.userName}` : ''}</span>}
                {line.note && <span class="small muted"> — {line.note}</span>}
              </li>
            ))}
          </ul>
          <div class="actions">
            <button type="button" class="button primary" data-testid="import-confirm" disabled={busy || preview.adding === 0} onClick={() => void confirm()}>
              Import {plural(preview.adding, 'passkey')}
            </button>
          </div>
        </div>
      )}
      {result && (
        <p role="status" data-testid="import-result">
          Added {plural(result.added, 'passkey')}.
          {result.superseded > 0 && ` ${plural(result.superseded, 'passkey')} already in Latchkey became the earlier one${result.superseded === 1 ? '' : 's'}.`}
          {result.skipped.length > 0 && ` Skipped ${result.skipped.length}: ${result.skipped.map((s) => `${s.title} (${s.reason})`).join('; ')}.`}
        </p>
      )}
    </section>
  );
}
