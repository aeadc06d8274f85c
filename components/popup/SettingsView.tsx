// Settings, over the list: auto-lock time, which comes first (Latchkey or the browser), whether
// Latchkey stays ready (src/background/keep-ready.ts), and the sites where Latchkey never
// answers. Each change is saved at once through the service worker, which validates it again.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Panel } from './Panel';
import { AUTO_LOCK_MINUTES, normalizeSite, type OfferFirst, type Settings } from '../../src/protocol/settings';
import { ask } from './manager-client';
import { messageOf } from './usePasskeys';

export function SettingsView({ onBack, children }: { onBack: () => void; children?: ComponentChildren }) {
  const [settings, setSettings] = useState<Settings | undefined>(undefined);
  const [status, setStatus] = useState<{ kind: 'saved' | 'error'; text: string } | undefined>(undefined);
  const [minutes, setMinutes] = useState('');
  const [minutesError, setMinutesError] = useState<string | undefined>(undefined);
  const [site, setSite] = useState('');
  const [siteError, setSiteError] = useState<string | undefined>(undefined);

  useEffect(() => {
    ask({ type: 'manager:get-settings' }).then(
      ({ settings }) => {
        setSettings(settings);
        setMinutes(String(settings.autoLockMinutes));
      },
      (e: unknown) => setStatus({ kind: 'error', text: messageOf(e) }),
    );
  }, []);

  const save = async (patch: Partial<Settings>, said: string) => {
    try {
      const { settings: stored } = await ask({ type: 'manager:update-settings', patch });
      setSettings(stored);
      setStatus({ kind: 'saved', text: said });
      return true;
    } catch (e) {
      setStatus({ kind: 'error', text: messageOf(e) });
      return false;
    }
  };

  const saveMinutes = () => {
    const value = Number(minutes);
    if (!Number.isInteger(value) || value < AUTO_LOCK_MINUTES.min || value > AUTO_LOCK_MINUTES.max) {
      setMinutesError(`Enter a whole number of minutes from ${AUTO_LOCK_MINUTES.min} to ${AUTO_LOCK_MINUTES.max} (a day).`);
      return;
    }
    setMinutesError(undefined);
    if (value !== settings?.autoLockMinutes) void save({ autoLockMinutes: value }, `Latchkey locks after ${value} minutes without use.`);
  };

  const addSite = async () => {
    const checked = normalizeSite(site);
    if (!checked.ok) {
      setSiteError(checked.reason);
      return;
    }
    if (!settings) return;
    if (settings.neverSites.includes(checked.value)) {
      setSiteError(`${checked.value} is already on the list.`);
      return;
    }
    setSiteError(undefined);
    if (await save({ neverSites: [...settings.neverSites, checked.value] }, `Latchkey won’t be used on ${checked.value}.`)) setSite('');
  };

  return (
    <Panel titleId="settings-title" testId="settings-view" backTestId="settings-back" onBack={onBack}
      scrollClass="settings" busy={!settings}>
      <h2 id="settings-title">Settings</h2>
      <div class="field">
        <label for="auto-lock">Lock Latchkey after this many minutes without use</label>
        <div class="inline-field">
          <input id="auto-lock" class="input narrow" type="number" inputMode="numeric" min={AUTO_LOCK_MINUTES.min}
            max={AUTO_LOCK_MINUTES.max} step={1} value={minutes} disabled={!settings} data-testid="settings-auto-lock"
            aria-invalid={minutesError ? true : undefined} aria-describedby="auto-lock-message"
            onInput={(event) => setMinutes(event.currentTarget.value)} onChange={saveMinutes}
            onKeyDown={(event) => {
              if (event.key === 'Enter') saveMinutes();
            }} />
          <span class="muted">minutes</span>
        </div>
        <p id="auto-lock-message" class={`small ${minutesError ? 'error' : 'muted'}`}>
          {minutesError ?? 'Latchkey also locks when your computer locks, and when the browser quits.'}
        </p>
      </div>

      <fieldset class="field choices" disabled={!settings}>
        <legend>When a site offers to save a new passkey, use</legend>
        {([
          ['latchkey', 'Latchkey', 'Save it in Latchkey, in this browser'],
          ['browser', 'The browser', 'The browser’s own dialog: a phone, a security key, or the browser’s passkeys. Latchkey still signs in with the passkeys it holds.'],
        ] as const).map(([value, label, hint]) => (
          <label class="choice" key={value}>
            <input type="radio" name="offer-first" value={value} checked={settings?.offerFirst === value}
              data-testid={`settings-offer-${value}`}
              onChange={() => void save({ offerFirst: value satisfies OfferFirst }, `${label} is offered first for new passkeys.`)} />
            <span><span>{label}</span><span class="muted small">{hint}</span></span>
          </label>
        ))}
      </fieldset>

      <div class="field">
        <label class="choice">
          <input type="checkbox" checked={settings?.keepReady ?? false} disabled={!settings} data-testid="settings-keep-ready"
            aria-describedby="keep-ready-hint"
            onChange={(event) => {
              const keepReady = event.currentTarget.checked;
              void save({ keepReady }, keepReady ? 'Latchkey stays ready while the browser runs.' : 'Latchkey no longer stays ready when idle.');
            }} />
          <span>
            <span>Keep Latchkey ready</span>
            <span id="keep-ready-hint" class="muted small">
              The passkey prompt opens about twice as fast after Latchkey has been idle. Uses about 15 MB of memory while the browser runs.
            </span>
          </span>
        </label>
      </div>

      <div class="field">
        <h3 id="never-title">Never use Latchkey on these sites</h3>
        <p class="muted small">On these sites the browser handles passkeys as if Latchkey weren’t installed.</p>
        {settings && settings.neverSites.length === 0 && <p class="small muted">No sites yet.</p>}
        <ul class="never-list" aria-labelledby="never-title">
          {settings?.neverSites.map((rpId) => (
            <li key={rpId} data-testid="settings-never-site">
              <span>{rpId}</span>
              <button type="button" class="button small-button" aria-label={`Remove ${rpId}`} data-testid="settings-never-remove"
                onClick={() => void save({ neverSites: settings.neverSites.filter((s) => s !== rpId) }, `Latchkey may be used on ${rpId} again.`)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form class="inline-field" onSubmit={(event) => {
          event.preventDefault();
          void addSite();
        }}>
          <label class="visually-hidden" for="never-site">Site to add</label>
          <input id="never-site" class="input" placeholder="example.com" value={site} disabled={!settings}
            autoComplete="off" spellcheck={false} data-testid="settings-never-input"
            aria-invalid={siteError ? true : undefined} aria-describedby="never-site-message"
            onInput={(event) => setSite(event.currentTarget.value)} />
          <button type="submit" class="button" disabled={!settings} data-testid="settings-never-add">Add</button>
        </form>
        <p id="never-site-message" class="small error" role={siteError ? 'alert' : undefined}>{siteError ?? ''}</p>
      </div>
      <p class={`small ${status?.kind === 'error' ? 'error' : 'muted'}`} role="status" data-testid="settings-status">
        {status?.text ?? ''}
      </p>
      {children}
    </Panel>
  );
}
