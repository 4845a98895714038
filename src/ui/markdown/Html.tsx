/**
 * HTML from the markdown pipeline (lessons, scenario descriptions), sanitized here, with glossary definitions on
 * hover and focus: a glossary link shows its entry in a tooltip tied to it by aria-describedby.
 */
import { useId, useMemo, useRef, useState, type FocusEvent, type MouseEvent } from 'react';
import type { GlossaryEntry } from '../../lessons/index';
import { sanitizeHtml } from './sanitize';

interface HtmlProps {
  html: string;
  glossary?: readonly GlossaryEntry[];
  className?: string;
  /** Inline content (an option's text) renders in a span. */
  inline?: boolean;
}

export function Html({ html, glossary = [], className, inline = false }: HtmlProps) {
  const clean = useMemo(() => sanitizeHtml(html), [html]);
  const tooltipId = useId();
  const box = useRef<HTMLElement>(null);
  const [shown, setShown] = useState<{ entry: GlossaryEntry; top: number; left: number } | null>(null);

  const show = (event: MouseEvent | FocusEvent) => {
    const term = (event.target as HTMLElement).closest?.('a[data-glossary]');
    const entry =
      term && glossary.find((candidate) => candidate.anchor === term.getAttribute('data-glossary'));
    if (!term || !entry || !box.current) return;
    term.setAttribute('aria-describedby', tooltipId);
    const outer = box.current.getBoundingClientRect();
    const rect = term.getBoundingClientRect();
    setShown({ entry, top: rect.bottom - outer.top + 4, left: Math.max(0, rect.left - outer.left) });
  };
  const hide = () => setShown(null);
  const Tag = inline ? 'span' : 'div';

  return (
    <Tag
      ref={box as never}
      className={`lesson-html ${className ?? ''}`}
      onMouseOver={show}
      onFocus={show}
      onMouseLeave={hide}
      onBlur={hide}
      onKeyDown={(event) => event.key === 'Escape' && hide()}
    >
      <Tag dangerouslySetInnerHTML={{ __html: clean }} />
      {shown && (
        <span
          role="tooltip"
          id={tooltipId}
          className="glossary-tooltip"
          style={{ top: shown.top, left: shown.left }}
        >
          <strong>{shown.entry.term}</strong>
          <span dangerouslySetInnerHTML={{ __html: sanitizeHtml(shown.entry.definitionHtml) }} />
        </span>
      )}
    </Tag>
  );
}
