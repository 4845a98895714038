/**
 * The small markdown subset scenario descriptions use (paragraphs, "- " lists, **bold**, `code`), rendered
 * as React elements: no HTML from the scenario ever reaches the page, so a shared link cannot inject markup.
 */
import type { ReactNode } from 'react';

function inline(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const pattern = /(\*\*[^*]+\*\*|`[^`]+`)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const token = match[0];
    parts.push(
      token.startsWith('**') ? (
        <strong key={match.index}>{token.slice(2, -2)}</strong>
      ) : (
        <code key={match.index}>{token.slice(1, -1)}</code>
      ),
    );
    last = match.index + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function InlineMarkdown({ text, className }: { text: string; className?: string }) {
  const blocks = text.split(/\n\s*\n/).map((block) => block.split('\n').filter((line) => line.trim() !== ''));
  return (
    <div className={className}>
      {blocks.map((lines, index) =>
        lines.length > 0 && lines.every((line) => /^\s*[-*] /.test(line)) ? (
          <ul key={index}>
            {lines.map((line, i) => (
              <li key={i}>{inline(line.replace(/^\s*[-*] /, ''))}</li>
            ))}
          </ul>
        ) : (
          <p key={index}>{inline(lines.join(' '))}</p>
        ),
      )}
    </div>
  );
}
