import { describe, expect, it } from 'vitest';
import { loadTryItFields, MAX_KEYS, saveTryItFields, type TryItFields } from './try-it-fields';

function memoryStorage(initial?: string) {
  const items = new Map<string, string>();
  if (initial !== undefined) items.set('kms-policy-lab.try-it', initial);
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    raw: () => items.get('kms-policy-lab.try-it'),
  };
}

const fields = (message: string): TryItFields => ({
  operation: 'Decrypt',
  message,
  contextText: '{"purpose": "x"}',
  blob: 'AQID',
  signature: '',
  algorithm: '',
  destination: 'k2',
  endpoint: 'http://127.0.0.1:9999',
  grantToken: 'tok',
});

describe('Try it fields kept per key', () => {
  it('are read back per key', () => {
    const store = memoryStorage();
    saveTryItFields('k1', fields('one'), store);
    saveTryItFields('k2', fields('two'), store);
    expect(loadTryItFields('k1', store)).toEqual(fields('one'));
    expect(loadTryItFields('k2', store).message).toBe('two');
    expect(loadTryItFields('k3', store)).toEqual({});
  });

  it('drop fields of the wrong type and ignore a damaged or other-version record', () => {
    const bad = JSON.stringify({ version: 1, keys: { k1: { message: 42, blob: 'AQID', extra: 'x' } } });
    expect(loadTryItFields('k1', memoryStorage(bad))).toEqual({ blob: 'AQID' });
    expect(loadTryItFields('k1', memoryStorage('{not json'))).toEqual({});
    const other = JSON.stringify({ version: 2, keys: { k1: fields('v2') } });
    expect(loadTryItFields('k1', memoryStorage(other))).toEqual({});
    expect(loadTryItFields('k1', memoryStorage('null'))).toEqual({});
    const store = memoryStorage('{not json');
    saveTryItFields('k1', fields('fresh'), store); // a damaged record is replaced, not a crash
    expect(loadTryItFields('k1', store).message).toBe('fresh');
  });

  it('keep only the most recently saved keys', () => {
    const store = memoryStorage();
    for (let i = 0; i <= MAX_KEYS; i++) saveTryItFields(`k${i}`, fields(`m${i}`), store);
    expect(loadTryItFields('k0', store)).toEqual({});
    expect(loadTryItFields(`k${MAX_KEYS}`, store).message).toBe(`m${MAX_KEYS}`);
    saveTryItFields('k1', fields('again'), store); // saving again makes k1 the newest
    saveTryItFields('new', fields('n'), store);
    expect(loadTryItFields('k1', store).message).toBe('again');
    expect(loadTryItFields('k2', store)).toEqual({});
  });

  it('survive a storage that refuses to save', () => {
    const store = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => saveTryItFields('k1', fields('x'), store)).not.toThrow();
  });
});
