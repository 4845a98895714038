import { describe, expect, it } from 'vitest';
import {
  APP_STORAGE_KEY,
  APP_STORAGE_VERSION,
  createAppStore,
  migrateAppPreferences,
  type KeyValueStorage,
} from './app-store';

function memoryStorage(
  initial: Record<string, string> = {},
): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('app store persistence', () => {
  it('defaults to following the system theme when nothing is saved', () => {
    const store = createAppStore(() => memoryStorage());
    expect(store.getState().theme).toBe('system');
  });

  it('saves the theme with a version and reads it back in a new store', () => {
    const storage = memoryStorage();
    createAppStore(() => storage)
      .getState()
      .setTheme('dark');
    const saved = JSON.parse(storage.data.get(APP_STORAGE_KEY) ?? 'null');
    expect(saved).toEqual({ state: { theme: 'dark' }, version: APP_STORAGE_VERSION });
    expect(createAppStore(() => storage).getState().theme).toBe('dark');
  });

  it.each([
    ['corrupt JSON', '{"state": {"theme": "da'],
    ['JSON without state', '"dark"'],
    ['an unknown theme', JSON.stringify({ state: { theme: 'purple' }, version: APP_STORAGE_VERSION })],
    ['null state', JSON.stringify({ state: null, version: APP_STORAGE_VERSION })],
  ])('falls back to the default on %s', (_label, raw) => {
    const store = createAppStore(() => memoryStorage({ [APP_STORAGE_KEY]: raw }));
    expect(store.getState().theme).toBe('system');
  });

  it('keeps working when storage itself throws', () => {
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = createAppStore(() => throwing);
    expect(() => store.getState().setTheme('light')).not.toThrow();
    expect(store.getState().theme).toBe('light');
  });

  it('migrates a theme saved without a version', () => {
    const store = createAppStore(() =>
      memoryStorage({ [APP_STORAGE_KEY]: JSON.stringify({ state: { theme: 'light' } }) }),
    );
    expect(store.getState().theme).toBe('light');
  });
});

describe('migrateAppPreferences', () => {
  it('accepts a bare theme string from version 0', () => {
    expect(migrateAppPreferences('dark', 0)).toEqual({ theme: 'dark' });
  });
  it('keeps a valid theme from an older object shape', () => {
    expect(migrateAppPreferences({ theme: 'light', other: 1 }, 0)).toEqual({ theme: 'light' });
  });
  it('drops anything it does not understand', () => {
    expect(migrateAppPreferences(42, 0)).toEqual({ theme: 'system' });
    expect(migrateAppPreferences({ theme: 'DARK' }, 1)).toEqual({ theme: 'system' });
  });
});
