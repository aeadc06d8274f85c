// Where a site lets the user manage its passkeys: its /.well-known/passkey-endpoints file
// (W3C Passkey Endpoints), read for the popup once the user granted the origin.

export interface EndpointsDeps {
  /** Whether the user granted Latchkey this origin (`https://<rpId>/*`). */
  hasOriginPermission: (origin: string) => Promise<boolean>;
  fetch: typeof fetch;
  /** How long the passkey-endpoints fetch may take, in ms. */
  endpointsTimeoutMs?: number;
}

/** The `manage` URL a site publishes in /.well-known/passkey-endpoints, when it is an https URL. */
export function parsePasskeyEndpoints(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('manage' in body) || typeof body.manage !== 'string') return null;
  try {
    const url = new URL(body.manage);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function passkeyEndpointsUrl(rpId: string): string {
  return `https://${rpId}/.well-known/passkey-endpoints`;
}

/**
 * Reads https://<rpId>/.well-known/passkey-endpoints, only once the user granted that origin
 * (the popup asks on the user's click). Without cookies; a missing or malformed file is null.
 */
export async function fetchManageUrl(deps: EndpointsDeps, rpId: string): Promise<string | null> {
  if (!(await deps.hasOriginPermission(`https://${rpId}/*`))) {
    throw new Error(`Latchkey may not read ${rpId} until you allow it.`);
  }
  let response: Response;
  try {
    response = await deps.fetch(passkeyEndpointsUrl(rpId), {
      credentials: 'omit',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(deps.endpointsTimeoutMs ?? 5000),
    });
  } catch {
    throw new Error(`Latchkey could not reach ${rpId}.`);
  }
  if (!response.ok) return null;
  try {
    return parsePasskeyEndpoints(await response.json());
  } catch {
    return null;
  }
}
