/**
 * The markdown pipeline of lessons (and of scenario descriptions): CommonMark + GFM with front matter, parsed by
 * micromark/mdast with source positions, rendered to HTML through hast. Raw HTML that authors write is kept
 * (e.g. `<details>` around a solution); the UI sanitizes every HTML string with DOMPurify before showing it.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { toHast } from 'mdast-util-to-hast';
import { toHtml } from 'hast-util-to-html';
import type { Nodes as HastNodes, Element as HastElement } from 'hast';
import type { Root, RootContent, Nodes, PhrasingContent } from 'mdast';
import type { Place } from './types';

export type { Root, RootContent, Nodes } from 'mdast';

/** Parses GFM; a lesson's leading `---` block is front matter, other texts (a scenario's description) have none. */
export function parseMarkdown(text: string, { frontMatter = true }: { frontMatter?: boolean } = {}): Root {
  return fromMarkdown(text, {
    extensions: frontMatter ? [gfm(), frontmatter(['yaml'])] : [gfm()],
    mdastExtensions: frontMatter ? [gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])] : [gfmFromMarkdown()],
  });
}

/** A whole markdown text (no front matter) as HTML, e.g. a scenario's description; the UI sanitizes it. */
export function renderMarkdown(text: string): string {
  return renderHtml(parseMarkdown(text, { frontMatter: false }).children);
}

export function placeOf(node: Nodes | undefined): Place {
  return { line: node?.position?.start.line ?? 1, column: node?.position?.start.column ?? 1 };
}

/** A link into the glossary: `glossary.md#term` (the only file of its name in lessons/). */
export const GLOSSARY_LINK = /^(?:\.\/)?glossary\.md#([a-z0-9-]+)$/;
/**
 * A link to a scenario file that a lesson embeds: `scenarios/name.json` (lessons/scenarios) names `name`;
 * `../scenarios/templates/name.json` (the Lab's templates) names `templates/name`.
 */
const SCENARIO_LINK = /^(?:(?:\.\/)?scenarios\/([a-z0-9-]+)|\.\.\/scenarios\/templates\/([a-z0-9-]+))\.json$/;

/** The scenario name a link points to, when it points to one. */
export function scenarioOfLink(url: string): string | undefined {
  const match = SCENARIO_LINK.exec(url);
  if (!match) return undefined;
  return match[1] ?? `templates/${match[2]}`;
}

/**
 * Renders mdast nodes to an HTML string; glossary links carry `data-glossary` for the UI's definitions. Link
 * safety (no `javascript:`, external links in a new tab without opener or referrer) is the sanitizer's job.
 */
export function renderHtml(nodes: readonly RootContent[]): string {
  if (nodes.length === 0) return '';
  const hast = toHast({ type: 'root', children: [...nodes] }, { allowDangerousHtml: true });
  decorate(hast);
  return toHtml(hast, { allowDangerousHtml: true });
}

function decorate(node: HastNodes): void {
  if (node.type === 'element') markLink(node);
  if ('children' in node) for (const child of node.children) decorate(child as HastNodes);
}

function markLink(element: HastElement): void {
  if (element.tagName !== 'a' || typeof element.properties.href !== 'string') return;
  const glossary = GLOSSARY_LINK.exec(element.properties.href);
  if (glossary) {
    element.properties.className = ['glossary-term'];
    element.properties.dataGlossary = glossary[1];
  }
}

/** The plain text of a node (inline code and link text included). */
export function textOf(node: Nodes | PhrasingContent): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(textOf).join('');
  return '';
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Calls `visit` on every node below `node`, depth first. */
export function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children as Nodes[]) walk(child, visit);
}
