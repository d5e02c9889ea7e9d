import type { ReactNode } from 'react';
import { safeHttpUrl } from '../format.js';

/**
 * An external reference from a feed: a link only when it is an absolute http(s) URL, plain text
 * otherwise (a `javascript:` URL never becomes an href). Opens apart, without a referrer.
 */
export function SafeLink({ url, children }: { url: string | null | undefined; children?: ReactNode }): ReactNode {
  if (!url) return <span className="muted">—</span>;
  const href = safeHttpUrl(url);
  const text = children ?? url;
  if (href === null) return <span className="unsafe-url" title="not an http(s) link">{text}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="external">
      {text}
    </a>
  );
}
