/**
 * A markdown text (a scenario's description) through the lessons' pipeline: GFM rendered by src/lessons, shown
 * sanitized by Html. The default export lets a caller load the parser and sanitizer lazily.
 */
import { useMemo } from 'react';
import { renderMarkdown } from '../../lessons/index';
import { Html } from './Html';

export default function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return <Html html={html} className={className} />;
}
