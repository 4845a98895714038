import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { InlineMarkdown } from './InlineMarkdown';

const html = (text: string) => renderToStaticMarkup(<InlineMarkdown text={text} />);

describe('InlineMarkdown', () => {
  it('renders paragraphs, lists, bold and code', () => {
    expect(html('One **bold** and `kms:Decrypt`.\n\n- first\n- second')).toBe(
      '<div><p>One <strong>bold</strong> and <code>kms:Decrypt</code>.</p><ul><li>first</li><li>second</li></ul></div>',
    );
  });

  it('never lets markup from a scenario through', () => {
    const out = html('<img src=x onerror=alert(1)> **<b>x</b>**');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;img');
  });
});
