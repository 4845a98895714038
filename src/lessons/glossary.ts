/** The glossary file (lessons/glossary.md): one `## Term` heading per entry, its definition below it. */
import type { RootContent } from 'mdast';
import { parseMarkdown, placeOf, renderHtml, slug, textOf } from './markdown';
import type { GlossaryEntry, LessonProblem } from './types';

export function parseGlossary(file: string, text: string): { entries: GlossaryEntry[]; problems: LessonProblem[] } {
  const entries: GlossaryEntry[] = [];
  const problems: LessonProblem[] = [];
  let current: { term: string; place: GlossaryEntry['place']; nodes: RootContent[] } | undefined;
  const close = () => {
    if (!current) return;
    const anchor = slug(current.term);
    if (current.nodes.length === 0)
      problems.push({ file, ...current.place, message: `glossary: "${current.term}" has no definition` });
    if (entries.some((entry) => entry.anchor === anchor))
      problems.push({ file, ...current.place, message: `glossary: "${current.term}" is defined twice` });
    entries.push({ anchor, term: current.term, definitionHtml: renderHtml(current.nodes), place: current.place });
  };
  for (const node of parseMarkdown(text).children) {
    if (node.type === 'heading' && node.depth === 2) {
      close();
      current = { term: textOf(node).trim(), place: placeOf(node), nodes: [] };
    } else if (current && !(node.type === 'heading' && node.depth < 2)) current.nodes.push(node);
  }
  close();
  return { entries, problems };
}
