import { describe, expect, it } from 'vitest';
import type { Finding } from '../../engine/types';
import { compareFindings, findingTypeLabel, markerRange, severityOf } from './findings';

const at = (line: number, column: number, offset: number) => ({ line, column, offset });

function finding(type: Finding['type'], offset: number): Finding {
  return {
    type,
    code: 'X',
    message: 'm',
    learnMoreLink: '',
    path: [],
    range: { start: at(1, offset + 1, offset), end: at(1, offset + 2, offset + 1) },
  };
}

describe('findings display', () => {
  it('maps types to severities and words', () => {
    expect(severityOf('ERROR')).toBe('error');
    expect(severityOf('SECURITY_WARNING')).toBe('warning');
    expect(severityOf('SUGGESTION')).toBe('info');
    expect(findingTypeLabel('SECURITY_WARNING')).toBe('Security warning');
  });

  it('sorts the most severe first, then by position', () => {
    const sorted = [
      finding('SUGGESTION', 0),
      finding('ERROR', 9),
      finding('WARNING', 1),
      finding('ERROR', 2),
    ].sort(compareFindings);
    expect(sorted.map((f) => `${f.type}@${f.range.start.offset}`)).toEqual([
      'ERROR@2',
      'ERROR@9',
      'WARNING@1',
      'SUGGESTION@0',
    ]);
  });

  it('widens an empty range to one character and keeps others', () => {
    expect(markerRange({ start: at(3, 5, 20), end: at(3, 5, 20) })).toEqual({
      startLineNumber: 3,
      startColumn: 5,
      endLineNumber: 3,
      endColumn: 6,
    });
    expect(markerRange({ start: at(1, 2, 1), end: at(4, 1, 30) })).toEqual({
      startLineNumber: 1,
      startColumn: 2,
      endLineNumber: 4,
      endColumn: 1,
    });
  });
});
