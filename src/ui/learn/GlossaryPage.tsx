/** The glossary (lessons/glossary.md), one entry per term; `#/learn/glossary/<anchor>` scrolls to one. */
import { useEffect } from 'react';
import type { GlossaryEntry } from '../../lessons/index';
import { Html } from '../markdown/Html';

export function GlossaryPage({ glossary, anchor }: { glossary: GlossaryEntry[]; anchor: string }) {
  useEffect(() => {
    if (!anchor) return;
    const element = document.getElementById(`term-${anchor}`);
    element?.scrollIntoView({ block: 'start' });
    element?.focus({ preventScroll: true });
  }, [anchor]);
  return (
    <div className="glossary">
      <p>
        <a href="#/learn">← All lessons</a>
      </p>
      <h2>Glossary</h2>
      <dl>
        {glossary.map((entry) => (
          <div
            key={entry.anchor}
            className={
              entry.anchor === anchor ? 'glossary__entry glossary__entry--current' : 'glossary__entry'
            }
          >
            <dt id={`term-${entry.anchor}`} tabIndex={-1}>
              {entry.term}
            </dt>
            <dd>
              <Html html={entry.definitionHtml} />
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
