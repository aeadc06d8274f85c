import type { Ref } from 'preact';
import { bothRefs, useAutofocus } from '../autofocus';

/** A labelled password input for a PIN or passphrase. */
export function PinField({ testId, label, value, onInput, autoFocus = false, invalid = false, autoComplete, inputRef }: {
  testId: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  autoFocus?: boolean;
  invalid?: boolean;
  autoComplete: 'new-password' | 'current-password';
  inputRef?: Ref<HTMLInputElement>;
}) {
  const own = useAutofocus<HTMLInputElement>(autoFocus);
  return (
    <label class="field">
      <span>{label}</span>
      <input type="password" data-testid={testId} value={value} autoFocus={autoFocus} autoComplete={autoComplete}
        aria-invalid={invalid} spellcheck={false} ref={bothRefs(own, inputRef)}
        onInput={(event) => onInput(event.currentTarget.value)} />
    </label>
  );
}
