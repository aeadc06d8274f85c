import type { PromptSite } from '../../src/protocol/messages';

/** Who is asking: the relying party id in large type, and the calling origin when it differs. */
export function SiteHeader({ title, site }: { title: string; site: PromptSite }) {
  const expected = `https://${site.rpId}`;
  return (
    <header class="site">
      <span class="avatar" aria-hidden="true">{site.rpId.charAt(0).toUpperCase()}</span>
      <div>
        <h1>{title}</h1>
        <p class="rp" data-testid="prompt-rp">{site.rpId}</p>
        {site.origin !== expected && <p class="muted small">Requested by {site.origin}</p>}
        {site.topOrigin && site.topOrigin !== site.origin && (
          <p class="muted small">Embedded in {site.topOrigin}</p>
        )}
      </div>
    </header>
  );
}
