import { describe, expect, it } from 'vitest';
import { decodeProgress, emptyProgress, encodeProgress, type Progress } from './lessons-progress';

const progress: Progress = {
  version: 1,
  lessons: {
    'key-types': {
      answers: {
        q1: { answer: { kind: 'choice', selected: ['b'] }, correct: true, at: '2026-12-04T10:00:00.000Z' },
        q2: {
          answer: { kind: 'predict', decision: 'Allow', statement: null },
          correct: false,
          at: '2026-12-04T10:01:00.000Z',
        },
      },
      drafts: { fix1: '{ "Statement": [' },
      completedAt: '2026-12-04T10:02:00.000Z',
    },
  },
};

describe('lesson progress', () => {
  it('round-trips, an unfinished draft included', () => {
    expect(decodeProgress(encodeProgress(progress))).toEqual({ ok: true, progress, dropped: 0 });
    expect(decodeProgress(encodeProgress(emptyProgress()))).toEqual({
      ok: true,
      progress: emptyProgress(),
      dropped: 0,
    });
  });

  it('refuses what is not progress, or is from a newer version', () => {
    expect(decodeProgress('{')).toEqual({ ok: false, message: 'the progress file is not JSON' });
    expect(decodeProgress('{"scenario": 1}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a KMS Policy Lab progress file/),
    });
    expect(decodeProgress('{"version": 2, "lessons": {}}')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/newer version/),
    });
  });

  it('drops entries of the wrong shape one by one and keeps the rest', () => {
    const damaged = JSON.parse(encodeProgress(progress));
    damaged.lessons['key-types'].answers.q3 = {
      answer: { kind: 'predict', decision: 'Maybe', statement: null },
      correct: true,
      at: 'x',
    };
    damaged.lessons['key-types'].answers.q4 = {
      answer: { kind: 'choice', selected: 'b' },
      correct: true,
      at: 'x',
    };
    damaged.lessons['key-types'].drafts.fix2 = 42;
    damaged.lessons.other = 'nonsense';
    expect(decodeProgress(JSON.stringify(damaged))).toEqual({ ok: true, progress, dropped: 4 });
  });
});

describe('lessons store', async () => {
  const { createLessonsStore } = await import('./lessons-store');
  const memory = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
    };
  };

  it('saves as the learner goes, survives a reload, resets one lesson', () => {
    const storage = memory();
    const store = createLessonsStore(storage);
    store.getState().record('key-types', 'q1', { kind: 'choice', selected: ['a'] }, false);
    store.getState().saveDraft('grants', 'fix', '{"Statement": []}');
    const reloaded = createLessonsStore(storage).getState().progress;
    expect(reloaded.lessons['key-types']!.answers.q1).toMatchObject({
      correct: false,
      answer: { selected: ['a'] },
    });
    expect(reloaded.lessons.grants!.drafts.fix).toBe('{"Statement": []}');
    store.getState().resetLesson('key-types');
    expect(Object.keys(createLessonsStore(storage).getState().progress.lessons)).toEqual(['grants']);
  });

  it('keeps unreadable saved progress aside and refuses a bad import without losing progress', () => {
    const storage = memory();
    storage.setItem('kms-policy-lab.lessons', '{ broken');
    const store = createLessonsStore(storage);
    expect(store.getState().notice).toMatchObject({ tone: 'error' });
    expect([...storage.items.keys()].some((key) => key.startsWith('kms-policy-lab.lessons.set-aside.'))).toBe(
      true,
    );
    store.getState().record('a', 'q', { kind: 'text', text: 'CloudTrail' }, true);
    expect(store.getState().importProgress('{"version": 9, "lessons": {}}')).toBe(false);
    expect(store.getState().progress.lessons.a).toBeDefined();
    expect(store.getState().importProgress(encodeProgress(progress))).toBe(true);
    expect(store.getState().progress).toEqual(progress);
  });
});
