import type { MouseEvent } from 'react';

/**
 * "Skip to content". It moves focus itself instead of following `#id`, because the URL hash is the router:
 * letting the browser follow the link would navigate away from the current area.
 */
export function SkipLink({ targetId }: { targetId: string }) {
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    const target = document.getElementById(targetId);
    target?.focus();
    target?.scrollIntoView({ block: 'start' });
  };
  return (
    <a className="skip-link" href={`#${targetId}`} onClick={skip}>
      Skip to content
    </a>
  );
}
