import { describe, expect, it } from 'vitest';
import {
  LAB_STORAGE_KEY,
  loadLab,
  readLabStorage,
  saveLab,
  type KeyValueStorage,
  type PersistedLab,
} from './lab-persist';
import { listPolicySlots, textsFromScenario } from './lab-policies';

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

const scenario = { version: 2 as const, title: 'mine' };
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
    expect(loaded.notice?.message).toMatch(/upgraded/);
  });

  it("brings back a version 1 lab whose SCP was edited: the text under the SCP's new id, in its editor", () => {
    const ACCOUNT = '111122223333';
    const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const typed = '{\n  "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Deny", "Action": "kms:Disable';
    const v1Lab = {
      version: 1,
      working: {
        // Version 1: one SCP document per level of the account's path; the learner was typing in level 2.
        scenario: {
          version: 1,
          title: 'guardrail',
          organization: { scps: { [ACCOUNT]: [allowAll, allowAll] } },
        },
        texts: { [`scp:${ACCOUNT}#0`]: JSON.stringify(allowAll), [`scp:${ACCOUNT}#1`]: typed },
        scenarioText: null,
        selectedRequestId: null,
        selectedKeyArn: null,
        activeEditor: `scp:${ACCOUNT}#1`,
      },
      saved: [],
    };
    const loaded = loadLab(memoryStorage({ [LAB_STORAGE_KEY]: JSON.stringify(v1Lab) }));
    const working = loaded.data.working!;
    const level2 = `scp:ou-v1v1-${ACCOUNT}l1#0`;
    expect(working.scenario.version).toBe(2);
    expect(working.texts).toEqual({
      [`scp:ou-v1v1-${ACCOUNT}l0#0`]: JSON.stringify(allowAll),
      [level2]: typed,
    });
    expect(working.activeEditor).toBe(level2);
    // The new id is the editor slot of that level's SCP, so the editor opens on the text as it was typed.
    const slots = listPolicySlots(working.scenario);
    expect(slots.map((slot) => slot.id)).toContain(level2);
    expect(textsFromScenario(working.scenario)[level2]).not.toBe(typed);
    expect(loaded.notice).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops'],
    ['a wrong shape', JSON.stringify({ version: 1, working: { scenario: 'x', texts: {} } })],
    [
      'requests as an object',
      JSON.stringify({ version: 1, working: { ...lab.working, scenario: { version: 2, requests: {} } } }),
    ],
    [
      'a principal whose policies are a string',
      JSON.stringify({
        version: 1,
        working: {
          ...lab.working,
          scenario: { version: 2, principals: { 'arn:aws:iam::111122223333:role/A': { policies: 'x' } } },
        },
      }),
    ],
    ['a bad saved list', JSON.stringify({ version: 1, working: null, saved: [{ name: 3 }] })],
  ])('sets aside %s unchanged, opens what fits and offers the copy', (_label, raw) => {
    const storage = memoryStorage({ [LAB_STORAGE_KEY]: raw });
    const loaded = loadLab(storage, () => new Date('2024-05-06T07:08:09.000Z'));
    expect(loaded.data.working).toBeNull();
    expect(loaded.notice?.message).toMatch(/could not be read.*set aside/);
    expect(loaded.notice?.unreadableCopy).toBe(raw);
    expect(loaded.canSave).toBe(true);
    expect(storage.data[`${LAB_STORAGE_KEY}.set-aside.2024-05-06T07:08:09.000Z`]).toBe(raw);
    expect(storage.data[LAB_STORAGE_KEY]).toBeUndefined();
  });

  it('keeps the working scenario and the saved entries that fit, naming the one that does not', () => {
    const raw = JSON.stringify({
      ...lab,
      saved: [...lab.saved, { name: 'Broken', scenario: { version: 2, keys: [] } }],
    });
    const loaded = loadLab(memoryStorage({ [LAB_STORAGE_KEY]: raw }));
    expect(loaded.data.working).toEqual(lab.working);
    expect(loaded.data.saved).toEqual(lab.saved);
    expect(loaded.notice?.message).toMatch(
      /saved scenario “Broken” does not fit: \$\.keys must be an object/,
    );
  });

  it('accepts values the learner is still typing (only the shape is checked)', () => {
    const typing = {
      version: 2 as const,
      requests: [{ id: 'r', principal: 'arn:aws:iam::1', action: 'kms:Dec' }],
    };
    const raw = JSON.stringify({ ...lab, working: { ...lab.working, scenario: typing } });
    const loaded = loadLab(memoryStorage({ [LAB_STORAGE_KEY]: raw }));
    expect(loaded.notice).toBeUndefined();
    expect(loaded.data.working?.scenario).toEqual(typing);
  });

  it.each([
    ['the lab', JSON.stringify({ version: 99, working: null, saved: [] })],
    ['a scenario', JSON.stringify({ ...lab, working: { ...lab.working, scenario: { version: 99 } } })],
  ])('says a save of %s from a newer version cannot be read, and keeps it aside', (_label, raw) => {
    const storage = memoryStorage({ [LAB_STORAGE_KEY]: raw });
    const loaded = loadLab(storage, () => new Date('2024-05-06T07:08:09.000Z'));
    expect(loaded.notice?.message).toMatch(/newer version of the Lab.*version 99/);
    expect(storage.data[`${LAB_STORAGE_KEY}.set-aside.2024-05-06T07:08:09.000Z`]).toBe(raw);
  });

  it('leaves unreadable data in place, and forbids saving over it, when it cannot be set aside', () => {
    const storage = memoryStorage({ [LAB_STORAGE_KEY]: '{oops' });
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const loaded = loadLab(storage);
    expect(loaded.canSave).toBe(false);
    expect(loaded.notice?.message).toMatch(/could not be set aside/);
    expect(storage.data[LAB_STORAGE_KEY]).toBe('{oops');
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
    expect(readLabStorage(null).problems).not.toEqual([]);
  });
});
