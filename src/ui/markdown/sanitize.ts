/**
 * Every HTML string the markdown pipeline renders (lessons, scenario descriptions) passes through DOMPurify
 * before it reaches the page: raw HTML such as `<details>` or `<kbd>` is kept, never scripts, event handlers,
 * `javascript:` links, iframes, forms or styles. Links into the glossary become in-app routes; external links
 * open in a new tab without opener or referrer. Nothing loads from elsewhere: the lab works offline and a shared
 * scenario must not tell a third party who opened it, so an image from another site becomes its alt text and
 * audio and video are not kept.
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
  'audio',
  'video',
  'source',
  'track',
];

/** `https://…`, `//…` or any other scheme but `data:image/`: a fetch from outside the page. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Builds a sanitizer on a window (the page's, or jsdom's in tests). */
export function createSanitizer(window: Window & typeof globalThis): (html: string) => string {
  const purifier: Purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      if (node.hasAttribute('srcset') || (REMOTE.test(src) && !/^data:image\//i.test(src)))
        node.replaceWith(node.ownerDocument.createTextNode(node.getAttribute('alt') ?? ''));
      return;
    }
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
