import { describe, expect, it } from 'vitest';
import type { Finding } from '../engine/types';
import { displayKey, DisplayVersions, findingsKey, flowKey, panelKey } from './lab-display';
import { range, result } from './result-fixtures';

describe('display keys', () => {
  it('ignore source ranges but not what is drawn', () => {
    expect(displayKey({ a: 1, range: range(3) })).toBe(displayKey({ a: 1, range: range(9) }));
    expect(displayKey({ context: { 'aws:CurrentTime': ['t1'], x: ['1'] } })).toBe(
      displayKey({ context: { 'aws:CurrentTime': ['t2'], x: ['1'] } }),
    );
    expect(displayKey({ context: { x: ['1'] } })).not.toBe(displayKey({ context: { x: ['2'] } }));
    expect(flowKey(result(3))).toBe(flowKey(result(8)));
    expect(panelKey(result(3))).toBe(panelKey(result(8)));
    expect(flowKey(result(3, 'renamed'))).not.toBe(flowKey(result(3)));
    expect(panelKey(result(3, undefined, 'ImplicitDeny'))).not.toBe(panelKey(result(3)));
    expect(flowKey(null)).toBe('null');
  });
});

const finding = (line: number, offset: number): Finding => ({
  type: 'WARNING',
  code: 'X',
  message: 'm',
  learnMoreLink: '',
  path: [],
  range: { start: { line, column: 1, offset }, end: { line, column: 5, offset: offset + 4 } },
});

describe('display versions', () => {
  it('ignore offsets in findings but not lines', () => {
    expect(findingsKey({ p: [finding(2, 10)] })).toBe(findingsKey({ p: [finding(2, 90)] }));
    expect(findingsKey({ p: [finding(2, 10)] })).not.toBe(findingsKey({ p: [finding(3, 10)] }));
  });

  it('change a panel number exactly when what that panel draws changes', () => {
    const versions = new DisplayVersions();
    const first = versions.next(result(3), { p: [finding(2, 10)] });
    // Moved ranges and offsets: the same picture everywhere.
    expect(versions.next(result(8), { p: [finding(2, 40)] })).toEqual(first);
    // A renamed statement: the panel and the flowchart change, the markers do not.
    const renamed = versions.next(result(8, 'renamed'), { p: [finding(2, 40)] });
    expect(renamed.panel).not.toBe(first.panel);
    expect(renamed.flow).not.toBe(first.flow);
    expect(renamed.findings).toBe(first.findings);
    // A new finding after a failed evaluation: only the markers change.
    const failed = versions.nextFindings({ p: [finding(4, 40)] });
    expect(failed).not.toBe(first.findings);
    // Back to an earlier picture: a new number (never an old one), so the panel redraws.
    const back = versions.next(result(3), { p: [finding(2, 10)] });
    expect(back.panel).not.toBe(renamed.panel);
    expect(back.panel).not.toBe(first.panel);
  });
});
