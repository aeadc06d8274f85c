// The suggestion frame's side of its runtime port (src/protocol/autofill.ts): says hello,
// receives the passkeys to offer, and sends the user's one pick (or a dismiss).
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
    // The frame has nothing more to offer: said on <body data-closed> for tests.
    const closed = () => {
      setOffer(undefined);
      document.body.dataset.closed = '';
    };
    port.onMessage.addListener((message: unknown) => {
      const show = message as AutofillShow;
      if (show.type === 'show') setOffer(show);
      else closed();
    });
    port.onDisconnect.addListener(closed);
    // The relay's key, from this frame's URL (src/protocol/autofill.ts AutofillNotice).
    port.postMessage({ type: 'hello', key: location.hash.slice(1) } satisfies AutofillMessage);
    return () => port.disconnect();
  }, []);

  const post = (message: AutofillMessage) => portRef.current?.postMessage(message);
  /** The user's one pick: the offer goes. */
  const send = (message: AutofillMessage) => {
    post(message);
    setOffer(undefined);
  };
  return { offer, send, post };
}
