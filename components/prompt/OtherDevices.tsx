import type { PromptAnswer } from '../../src/protocol/messages';

/** Hands the ceremony to the browser's own WebAuthn: its QR code for a phone, or a security key. */
export function OtherDevices({ answer, disabled }: { answer: (a: PromptAnswer) => void; disabled: boolean }) {
  return (
    <div class="other-devices">
      <button type="button" class="button link" data-testid="prompt-other-device" disabled={disabled}
        onClick={() => answer({ kind: 'other-device' })}>
        Use a phone or tablet
      </button>
      <button type="button" class="button link" data-testid="prompt-security-key" disabled={disabled}
        onClick={() => answer({ kind: 'security-key' })}>
        Use a security key
      </button>
    </div>
  );
}
