import { describe, expect, it } from 'vitest';
import {
  LAB_STORAGE_KEY,
  loadLab,
  migrateLabStorage,
  saveLab,
  type KeyValueStorage,
  type PersistedLab,
} from './lab-persist';

function memoryStorage(
  initial: Record<string, string> = {},
): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? data[k] : null),
    setItem: (k, v) => {
      data[k] = v;
    },
    removeItem: (k) => {
      delete data[k];
    },
  };
}

const scenario = { version: 1 as const, title: 'mine' };
const lab: PersistedLab = {
  version: 1,
  working: {
    scenario,
    texts: { 'key:k': '{ broken' },
    scenarioText: null,
    selectedRequestId: 'r',
    selectedKeyArn: null,
    activeEditor: 'key:k',
    openedShareLink: null,
  },
  saved: [{ name: 'A', savedAt: '2024-01-01T00:00:00.000Z', scenario }],
};

describe('lab persistence', () => {
  it('round-trips the working state, invalid editor text included', () => {
    const storage = memoryStorage();
    expect(saveLab(storage, lab)).toBe(true);
    const loaded = loadLab(storage);
    expect(loaded.data).toEqual(lab);
    expect(loaded.notice).toBeUndefined();
  });

  it('starts empty without a notice when nothing was saved, or without storage', () => {
    expect(loadLab(memoryStorage()).data.working).toBeNull();
    expect(loadLab(undefined).notice).toBeUndefined();
  });

  it('migrates version 0 (working state at the top level) with a notice', () => {
    const storage = memoryStorage({ [LAB_STORAGE_KEY]: JSON.stringify({ scenario, texts: { a: 'b' } }) });
    const loaded = loadLab(storage);
    expect(loaded.data.working?.texts).toEqual({ a: 'b' });
    expect(loaded.data.saved).toEqual([]);
    expect(loaded.notice).toMatch(/upgraded/);
  });

  it.each([
    ['not JSON', '{oops'],
    ['a wrong shape', JSON.stringify({ version: 1, working: { scenario: 'x', texts: {} } })],
    ['a newer version', JSON.stringify({ version: 99, working: null, saved: [] })],
    ['a bad saved list', JSON.stringify({ version: 1, working: null, saved: [{ name: 3 }] })],
  ])('sets aside %s and starts fresh with a notice', (_label, raw) => {
    const storage = memoryStorage({ [LAB_STORAGE_KEY]: raw });
    const loaded = loadLab(storage, () => new Date('2024-05-06T07:08:09.000Z'));
    expect(loaded.data.working).toBeNull();
    expect(loaded.notice).toMatch(/set aside/);
    expect(storage.data[`${LAB_STORAGE_KEY}.set-aside.2024-05-06T07:08:09.000Z`]).toBe(raw);
    expect(storage.data[LAB_STORAGE_KEY]).toBeUndefined();
  });

  it('never throws when storage throws', () => {
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => undefined,
    };
    expect(loadLab(throwing).data.working).toBeNull();
    expect(saveLab(throwing, lab)).toBe(false);
    expect(migrateLabStorage(null)).toBeUndefined();
  });
});
