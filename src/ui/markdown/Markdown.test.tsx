// @vitest-environment jsdom
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lessons/index';
import Markdown from './Markdown';

/** What the Lab shows for a description: the rendered markdown after the sanitizer, as a DOM to query. */
function shown(text: string): HTMLElement {
  const box = document.createElement('div');
  box.innerHTML = renderToStaticMarkup(<Markdown text={text} />);
  return box;
}

describe('Markdown (scenario descriptions through the lessons pipeline)', () => {
  it('renders paragraphs, lists, emphasis, inline code and links', () => {
    const box = shown(
      'One **bold**, *soft* and `kms:Decrypt`.\n\n- first\n- second\n\nSee [the guide](https://docs.aws.amazon.com/kms/) and [a key policy](glossary.md#key-policy).',
    );
    expect(box.querySelectorAll('p')).toHaveLength(2);
    expect(box.querySelector('strong')?.textContent).toBe('bold');
    expect(box.querySelector('em')?.textContent).toBe('soft');
    expect(box.querySelector('code')?.textContent).toBe('kms:Decrypt');
    expect([...box.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['first', 'second']);
    const external = box.querySelector('a[href="https://docs.aws.amazon.com/kms/"]');
    expect(external?.getAttribute('target')).toBe('_blank');
    expect(external?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(box.querySelector('a[data-glossary="key-policy"]')?.getAttribute('href')).toBe(
      '#/learn/glossary/key-policy',
    );
  });

  it('reads a leading --- as a rule, not as front matter', () => {
    expect(shown('---\ntitle: x\n---\nText').textContent).toContain('title: x');
  });

  const HOSTILE = [
    '<script>window.pwned = 1</script>',
    '<img src="x.png" onerror="window.pwned = 2" alt="x">',
    '<iframe src="https://example.com"></iframe>',
    '[click](javascript:window.pwned=3) <a href="JaVaScRiPt:alert(1)">raw</a> [data](data:text/html,<script>x</script>)',
    '<div onclick="window.pwned=4" style="position:fixed">styled</div>',
    '<form action="https://evil.example"><input name="password"><button>go</button></form>',
    '<svg><script>window.pwned=5</script><a xlink:href="javascript:alert(1)">svg</a></svg>',
    '**<b onmouseover="x()">bold</b>** `<script>` in code',
  ].join('\n\n');

  it('hostile markup reaches the sanitizer (so the test can fail)', () => {
    const raw = renderMarkdown(HOSTILE);
    expect(raw).toContain('<script>');
    expect(raw).toContain('onerror=');
    expect(raw).toContain('javascript:');
  });

  it('drops scripts, handlers, iframes, forms, styles and javascript:/data: links from hostile descriptions', () => {
    const box = shown(HOSTILE);
    expect(box.innerHTML).not.toMatch(
      /<script|<iframe|<form|<input|<button|onerror|onclick|onmouseover|style=/i,
    );
    expect(
      box.querySelectorAll('script, iframe, form, input, button, [onerror], [onclick], [style]'),
    ).toHaveLength(0);
    for (const link of box.querySelectorAll('a')) {
      expect(link.getAttribute('href') ?? '').not.toMatch(/^\s*(javascript|data):/i);
      expect(link.getAttribute('xlink:href') ?? '').not.toMatch(/javascript:/i);
    }
    // What was text stays text: inline code shows its angle brackets, the link texts remain readable.
    expect([...box.querySelectorAll('code')].map((code) => code.textContent)).toEqual(['<script>']);
    expect(box.textContent).toContain('click');
    expect(box.querySelector('img')?.getAttribute('alt')).toBe('x');
  });
});
