/** How findings look in the editors and the problems panel. Pure: no Monaco, no React. */
import type { Finding, FindingType, SourceRange } from '../../engine/types';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Errors block; security warnings and warnings are warnings; suggestions are information. */
export function severityOf(type: FindingType): FindingSeverity {
  switch (type) {
    case 'ERROR':
      return 'error';
    case 'SECURITY_WARNING':
    case 'WARNING':
      return 'warning';
    case 'SUGGESTION':
      return 'info';
  }
}

/** The finding type in words, so severity never depends on colour alone. */
export function findingTypeLabel(type: FindingType): string {
  switch (type) {
    case 'ERROR':
      return 'Error';
    case 'SECURITY_WARNING':
      return 'Security warning';
    case 'WARNING':
      return 'Warning';
    case 'SUGGESTION':
      return 'Suggestion';
  }
}

/** Most severe first, then in document order. */
const TYPE_ORDER: Record<FindingType, number> = { ERROR: 0, SECURITY_WARNING: 1, WARNING: 2, SUGGESTION: 3 };

export function compareFindings(a: Finding, b: Finding): number {
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.range.start.offset - b.range.start.offset;
}

/** A marker range in Monaco's 1-based lines and columns; an empty range is widened to one character so it shows. */
export function markerRange(range: SourceRange): {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
} {
  const empty = range.end.line === range.start.line && range.end.column <= range.start.column;
  return {
    startLineNumber: range.start.line,
    startColumn: range.start.column,
    endLineNumber: empty ? range.start.line : range.end.line,
    endColumn: empty ? range.start.column + 1 : range.end.column,
  };
}
