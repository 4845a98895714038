/**
 * Every HTML string the markdown pipeline renders (lessons, scenario descriptions) passes through DOMPurify
 * before it reaches the page: raw HTML such as `<details>` or `<kbd>` is kept, never scripts, event handlers,
 * `javascript:` links, iframes, forms or styles. Links into the glossary become in-app routes; external links
 * open in a new tab without opener or referrer.
 */
import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { GLOSSARY_LINK } from '../../lessons/index';

const FORBID_TAGS = [
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'textarea',
  'select',
];

/** Builds a sanitizer on a window (the page's, or jsdom's in tests). */
export function createSanitizer(window: Window & typeof globalThis): (html: string) => string {
  const purifier: Purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    const glossary = GLOSSARY_LINK.exec(href);
    if (glossary) node.setAttribute('href', `#/learn/glossary/${glossary[1]}`);
    else if (/^https?:/i.test(href)) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return (html) =>
    purifier.sanitize(html, {
      FORBID_TAGS,
      FORBID_ATTR: ['style'],
      ADD_ATTR: ['target'],
      ALLOW_DATA_ATTR: true,
    });
}

let pageSanitizer: ((html: string) => string) | undefined;

/** Sanitizes with the page's DOM. */
export function sanitizeHtml(html: string): string {
  pageSanitizer ??= createSanitizer(window);
  return pageSanitizer(html);
}
