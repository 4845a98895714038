// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../lessons/index';
import { createSanitizer } from './sanitize';

const sanitize = createSanitizer(window);

const HOSTILE = `---
id: hostile
title: Hostile
order: 1
minutes: 1
objectives: [break things]
---

<script>window.pwned = 1</script>

<img src="x.png" onerror="window.pwned = 2" alt="x">

<iframe src="https://example.com"></iframe>

![tracker](https://tracker.example/pixel.png) <img src="//cdn.example/a.png" alt="cdn"> <img srcset="https://x.example/b.png 2x" src="b.png" alt="set">

<video src="https://x.example/v.mp4"></video> ![local](images/flow.png)

<a href="javascript:window.pwned=3">click</a> and [also](javascript:alert(1)) and [data](data:text/html,<script>x</script>)

<div onclick="window.pwned=4" style="position:fixed">styled</div>

<form action="https://evil.example"><input name="password"></form>

<svg><script>window.pwned=5</script><a xlink:href="javascript:alert(1)">svg</a></svg>

<details><summary>Kept</summary>

A [glossary term](glossary.md#key-policy) and [AWS](https://docs.aws.amazon.com/kms/).

</details>
`;

describe('lesson HTML sanitizer', () => {
  const parsed = parseLesson('hostile.md', HOSTILE);
  if (!parsed.ok) throw new Error('the hostile lesson should parse');
  const html = sanitize(
    parsed.value.blocks.map((block) => (block.kind === 'prose' ? block.html : '')).join('\n'),
  );

  it('the raw HTML reached the sanitizer (so the test can fail)', () => {
    const raw = parsed.value.blocks.map((block) => (block.kind === 'prose' ? block.html : '')).join('\n');
    expect(raw).toContain('<script>');
    expect(raw).toContain('onerror=');
    expect(raw).toContain('<iframe');
    expect(raw).toContain('javascript:');
  });

  it('removes scripts, event handlers, iframes, forms, styles and javascript:/data: links', () => {
    expect(html).not.toMatch(/<script|<iframe|<form|<input|onerror|onclick|style=|javascript:|data:text/i);
    const container = document.createElement('div');
    container.innerHTML = html;
    expect(
      container.querySelectorAll('script, iframe, form, input, [onerror], [onclick], [style]'),
    ).toHaveLength(0);
    for (const link of container.querySelectorAll('a'))
      expect(link.getAttribute('href') ?? '').not.toMatch(/^(javascript|data):/i);
  });

  it('keeps harmless markup, routes glossary links inside the app, opens external links safely', () => {
    expect(html).toContain('<details><summary>Kept</summary>');
    expect(html).toContain('<img src="x.png" alt="x">');
    expect(html).toContain('href="#/learn/glossary/key-policy"');
    expect(html).toContain('data-glossary="key-policy"');
    const container = document.createElement('div');
    container.innerHTML = html;
    const external = container.querySelector('a[href="https://docs.aws.amazon.com/kms/"]');
    expect(external?.getAttribute('target')).toBe('_blank');
    expect(external?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('loads nothing from elsewhere: remote images become their alt text, audio and video are dropped', () => {
    const container = document.createElement('div');
    container.innerHTML = html;
    const sources = [...container.querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(sources).toEqual(['x.png', 'images/flow.png']);
    expect(container.querySelectorAll('video, audio, source, [srcset]')).toHaveLength(0);
    expect(container.textContent).toContain('tracker');
    expect(container.textContent).toContain('cdn');
  });
});
