// An overlay view of the popup (details, settings): focus starts on its back button, and
// Escape or the button goes back to the list.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Panel({ titleId, testId, backTestId, onBack, scrollClass, busy, children }: {
  titleId: string;
  testId: string;
  backTestId: string;
  onBack: () => void;
  scrollClass?: string;
  busy?: boolean;
  children: ComponentChildren;
}) {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <section class="panel" aria-labelledby={titleId} data-testid={testId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onBack();
        }
      }}>
      <div class="panel-bar">
        <button type="button" class="button link" ref={back} onClick={onBack} data-testid={backTestId}>← Passkeys</button>
      </div>
      <div class={`panel-scroll${scrollClass ? ` ${scrollClass}` : ''}`} aria-busy={busy ? 'true' : undefined}>
        {children}
      </div>
    </section>
  );
}
