/**
 * The Learn area's state: the learner's progress (saved to localStorage on every change, read back through
 * `decodeProgress`), export and import of it as a file, resetting a lesson.
 */
import { createStore, useStore } from 'zustand';
import {
  PROGRESS_STORAGE_KEY,
  decodeProgress,
  emptyProgress,
  encodeProgress,
  type Answer,
  type LessonProgress,
  type Progress,
} from './lessons-progress';

export interface LessonsState {
  progress: Progress;
  /** A message about saved or imported progress (damaged entries dropped, a file refused…). */
  notice: { tone: 'info' | 'error'; message: string } | null;
  record(lessonId: string, questionId: string, answer: Answer, correct: boolean): void;
  saveDraft(lessonId: string, questionId: string, text: string): void;
  complete(lessonId: string): void;
  resetLesson(lessonId: string): void;
  /** Replaces the progress with a file's; says why when it cannot. */
  importProgress(text: string): boolean;
  exportProgress(): string;
  dismissNotice(): void;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

const blank = (): LessonProgress => ({ answers: {}, drafts: {} });

export function createLessonsStore(storage: Storage | null = safeLocalStorage()) {
  const initial = readSaved(storage);
  const store = createStore<LessonsState>()((set, get) => {
    const update = (lessonId: string, change: (lesson: LessonProgress) => LessonProgress) => {
      const progress = get().progress;
      const lessons = { ...progress.lessons, [lessonId]: change(progress.lessons[lessonId] ?? blank()) };
      set({ progress: { ...progress, lessons } });
    };
    return {
      progress: initial.progress,
      notice: initial.notice,
      record(lessonId, questionId, answer, correct) {
        update(lessonId, (lesson) => ({
          ...lesson,
          answers: { ...lesson.answers, [questionId]: { answer, correct, at: new Date().toISOString() } },
        }));
      },
      saveDraft(lessonId, questionId, text) {
        update(lessonId, (lesson) => ({ ...lesson, drafts: { ...lesson.drafts, [questionId]: text } }));
      },
      complete(lessonId) {
        update(lessonId, (lesson) =>
          lesson.completedAt ? lesson : { ...lesson, completedAt: new Date().toISOString() },
        );
      },
      resetLesson(lessonId) {
        const lessons = { ...get().progress.lessons };
        delete lessons[lessonId];
        set({ progress: { ...get().progress, lessons } });
      },
      importProgress(text) {
        const decoded = decodeProgress(text);
        if (!decoded.ok) {
          set({
            notice: {
              tone: 'error',
              message: `Could not import: ${decoded.message}. Your progress is unchanged.`,
            },
          });
          return false;
        }
        set({
          progress: decoded.progress,
          notice: {
            tone: 'info',
            message:
              decoded.dropped > 0
                ? `Progress imported; ${decoded.dropped} damaged entr${decoded.dropped === 1 ? 'y was' : 'ies were'} left out.`
                : 'Progress imported.',
          },
        });
        return true;
      },
      exportProgress: () => encodeProgress(get().progress),
      dismissNotice: () => set({ notice: null }),
    };
  });
  store.subscribe((state, previous) => {
    if (state.progress !== previous.progress) write(storage, encodeProgress(state.progress));
  });
  return store;
}

function readSaved(storage: Storage | null): Pick<LessonsState, 'progress' | 'notice'> {
  const text = read(storage);
  if (text === null) return { progress: emptyProgress(), notice: null };
  const decoded = decodeProgress(text);
  if (decoded.ok)
    return {
      progress: decoded.progress,
      notice:
        decoded.dropped > 0
          ? {
              tone: 'info',
              message: `${decoded.dropped} damaged saved answer(s) could not be read and were left out.`,
            }
          : null,
    };
  // Keep the unreadable copy beside, never overwrite it: the learner may want it back.
  write(storage, text, `${PROGRESS_STORAGE_KEY}.set-aside.${Date.now()}`);
  return {
    progress: emptyProgress(),
    notice: {
      tone: 'error',
      message: `Saved progress could not be read (${decoded.message}); it was kept aside.`,
    },
  };
}

function read(storage: Storage | null): string | null {
  try {
    return storage?.getItem(PROGRESS_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function write(storage: Storage | null, text: string, key = PROGRESS_STORAGE_KEY): void {
  try {
    storage?.setItem(key, text);
  } catch {
    // Storage full or refused (private mode): progress lives on in memory for this visit.
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export type LessonsStore = ReturnType<typeof createLessonsStore>;

let shared: LessonsStore | undefined;

export function lessonsStore(): LessonsStore {
  shared ??= createLessonsStore();
  return shared;
}

export function useLessonsStore<T>(selector: (state: LessonsState) => T): T {
  return useStore(lessonsStore(), selector);
}
