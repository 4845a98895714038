import { describe, expect, it } from 'vitest';
import { parseContext } from './encryption-context-text';

describe('parseContext', () => {
  it('reads an object of strings; empty text or {} is no context', () => {
    expect(parseContext('{"purpose":"demo","a b":"c"}')).toEqual({
      ok: true,
      context: { purpose: 'demo', 'a b': 'c' },
    });
    expect(parseContext('  ')).toEqual({ ok: true, context: undefined });
    expect(parseContext('{}')).toEqual({ ok: true, context: undefined });
  });
  it('names what is wrong', () => {
    expect(parseContext('{"n": 1}')).toEqual({ ok: false, message: 'the value of "n" must be a string.' });
    expect(parseContext('[]')).toMatchObject({ ok: false, message: expect.stringContaining('JSON object') });
    expect(parseContext('{')).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
  });
});
