import { describe, expect, it } from 'vitest';
import { hexPreview, parseContextLines } from './format';

describe('envelope display helpers', () => {
  it('parses key=value lines and names the line of a mistake', () => {
    expect(parseContextLines('project = alpha\n\nstage=dev=1\n')).toEqual({
      context: { project: 'alpha', stage: 'dev=1' },
    });
    expect(parseContextLines('a=1\nnonsense')).toEqual({ error: expect.stringContaining('line 2') });
    expect(parseContextLines('a=1\na=2')).toEqual({ error: expect.stringContaining('given twice') });
  });
  it('cuts long hex', () => {
    expect(hexPreview(new Uint8Array([1, 2, 3]))).toBe('0102 03');
    expect(hexPreview(new Uint8Array(40), 2)).toBe('0000 … (40 bytes)');
  });
});
