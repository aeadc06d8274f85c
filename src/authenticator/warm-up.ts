// A precompute hook: @noble/curves builds its base-point tables lazily, on the first
// signature after the service worker starts (about 90 ms here), which would land between the
// click on approve and the page's answer. The service worker calls this while the user reads
// the prompt instead. A throwaway key pair of each curve multiplies the base point once; the
// secrets are wiped and never leave this function.

import { generateKeyPair } from '../crypto/signature';

let warmed = false;

/** Builds the ES256 and EdDSA base-point tables once per service-worker lifetime. */
export async function warmUpSigning(): Promise<void> {
  if (warmed) return;
  warmed = true;
  for (const algorithm of ['ES256', 'EdDSA'] as const) {
    const { privateKey } = await generateKeyPair(algorithm);
    privateKey.fill(0);
  }
}
