// The suggestion frame's side of its runtime port (src/protocol/autofill.ts): says hello,
// receives the passkeys to offer, and sends the user's one pick.
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { AUTOFILL_PORT, type AutofillMessage, type AutofillShow } from '../../src/protocol/autofill';

export type AutofillOffer = Extract<AutofillShow, { type: 'show' }>;

export function useAutofillPort() {
  const [offer, setOffer] = useState<AutofillOffer | undefined>();
  const portRef = useRef<ReturnType<typeof browser.runtime.connect>>();

  useEffect(() => {
    const port = browser.runtime.connect({ name: AUTOFILL_PORT });
    portRef.current = port;
    port.onMessage.addListener((message: unknown) => {
      const show = message as AutofillShow;
      setOffer(show.type === 'show' ? show : undefined);
    });
    port.onDisconnect.addListener(() => setOffer(undefined));
    port.postMessage({ type: 'hello' } satisfies AutofillMessage);
    return () => port.disconnect();
  }, []);

  const send = (message: AutofillMessage) => {
    portRef.current?.postMessage(message);
    setOffer(undefined);
  };
  return { offer, send };
}
