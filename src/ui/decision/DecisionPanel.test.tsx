import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import DecisionPanel from './DecisionPanel';
import { disabledKey, explicitDenyByScp, implicitDenyNoKeyPolicyStatement } from '../flow/fixtures';

/** The visible text of the markup, tags removed, entities decoded as the browser would. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('DecisionPanel', () => {
  it('carries the test hook, the decision word and the exception name', () => {
    const html = renderToStaticMarkup(<DecisionPanel result={explicitDenyByScp} />);
    expect(html).toContain('data-testid="decision"');
    const text = textOf(html);
    expect(text).toContain('ExplicitDeny');
    expect(text).toContain('AccessDeniedException');
    expect(text).toContain('Denied by');
    expect(text).toContain(explicitDenyByScp.explanation.replace(/\s+/g, ' '));
  });

  it('shows each condition with operator, key, policy values and "absent" for a missing key', () => {
    const text = textOf(renderToStaticMarkup(<DecisionPanel result={explicitDenyByScp} />));
    expect(text).toMatch(/StringNotEquals aws:SourceVpce policy "vpce-0a1b2c3d4e5f67890" request absent/);
  });

  it('says why a statement did not match, grouped under its layer', () => {
    const text = textOf(renderToStaticMarkup(<DecisionPanel result={implicitDenyNoKeyPolicyStatement} />));
    expect(text).toContain('ImplicitDeny');
    expect(text).toContain('Key policy');
    expect(text).toContain('Identity policies');
    expect(text).toMatch(/Principal does not match: .*user\/bob/);
    expect(text).toContain('None: no statement allowed the request.');
    expect(text).toContain('Not as expected');
  });

  it('gives each statement card one summary line', () => {
    const html = renderToStaticMarkup(<DecisionPanel result={implicitDenyNoKeyPolicyStatement} />);
    const cards = html.split('<article').length - 1;
    expect(cards).toBeGreaterThan(0);
    expect(html.split('class="statement__summary"').length - 1).toBe(cards);
  });

  it('names the outcome when authorization allowed but the key state refused', () => {
    const text = textOf(renderToStaticMarkup(<DecisionPanel result={disabledKey} />));
    expect(text).toContain('Allow');
    expect(text).toContain('DisabledException');
    expect(text).toContain('Assumptions and notes');
  });

  it('says when it shows a stale result, and handles no result', () => {
    expect(textOf(renderToStaticMarkup(<DecisionPanel result={disabledKey} stale />))).toContain(
      'showing the last good evaluation',
    );
    expect(textOf(renderToStaticMarkup(<DecisionPanel result={disabledKey} />))).not.toContain('Stale');
    const empty = renderToStaticMarkup(<DecisionPanel result={null} />);
    expect(empty).toContain('data-testid="decision"');
    expect(textOf(empty)).toContain('No evaluation yet');
  });

  it('marks the selected statement and opens it', () => {
    const selected = explicitDenyByScp.statements[1].ref;
    const html = renderToStaticMarkup(
      <DecisionPanel result={explicitDenyByScp} selectedStatement={selected} onSelectStatement={() => {}} />,
    );
    expect(html.match(/data-selected="true"/g)).toHaveLength(1);
    expect(html).toContain('aria-pressed="true"');
  });

  it('draws the comparisons of open cards only: the deciding ones and the selected one', () => {
    const html = renderToStaticMarkup(
      <DecisionPanel result={implicitDenyNoKeyPolicyStatement} onSelectStatement={() => {}} />,
    );
    // ImplicitDeny: nothing decides, so every card is closed; each still says why it did not match.
    expect(html).not.toContain('class="statement__body"');
    expect(html.match(/aria-expanded="false"/g)).toHaveLength(
      implicitDenyNoKeyPolicyStatement.statements.length,
    );
    const selected = implicitDenyNoKeyPolicyStatement.statements[0].ref;
    const withSelection = renderToStaticMarkup(
      <DecisionPanel
        result={implicitDenyNoKeyPolicyStatement}
        selectedStatement={selected}
        onSelectStatement={() => {}}
      />,
    );
    expect(withSelection.match(/class="statement__body"/g)).toHaveLength(1);
    const deciding = renderToStaticMarkup(<DecisionPanel result={explicitDenyByScp} />);
    expect(deciding.match(/class="statement__body"/g)).toHaveLength(explicitDenyByScp.deciding.length);
  });

  it('announces the verdict in a polite live region and links source tags to their AWS page', () => {
    const result = {
      ...implicitDenyNoKeyPolicyStatement,
      explanation: 'It is denied: in the key account the key policy alone is enough (CTL).',
    };
    const html = renderToStaticMarkup(<DecisionPanel result={result} />);
    expect(html).toMatch(
      /<p class="visually-hidden" role="status" aria-live="polite"[^>]*>Decision for [^<]*: ImplicitDeny \(nothing allowed it\), AccessDeniedException\.<\/p>/,
    );
    expect(textOf(html)).toMatch(/alone is enough \(AWS docs: KMS key access and permissions \) \./);
    expect(html).toContain(
      'href="https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html"',
    );
    expect(textOf(html)).not.toContain('(CTL)');
  });

  it('keeps the live region, empty, before the first result', () => {
    expect(renderToStaticMarkup(<DecisionPanel result={null} />)).toMatch(
      /<p class="visually-hidden" role="status" aria-live="polite"[^>]*><\/p>/,
    );
  });
});
