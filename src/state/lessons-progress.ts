/**
 * The learner's lesson progress, as stored in localStorage and exported to a file:
 * `{ "version": 1, "lessons": { "<lesson id>": { "answers": {…}, "drafts": {…}, "completedAt"?: "…" } } }`.
 * Decoding never throws: a newer version or damaged JSON is refused with a message; entries of the wrong shape are
 * dropped one by one (and counted) so that one bad answer never costs the rest.
 */
import type { Decision } from '../engine/types';

export const PROGRESS_STORAGE_KEY = 'kms-policy-lab.lessons';
/** Bump when the shape changes, and teach `decodeProgress` the old one. */
export const PROGRESS_VERSION = 1;

export type Answer =
  | { kind: 'choice'; selected: string[] }
  | { kind: 'text'; text: string }
  | { kind: 'order'; order: string[] }
  | { kind: 'predict'; decision: Decision; statement: string | null }
  | { kind: 'fix'; text: string };

export interface StoredAnswer {
  answer: Answer;
  correct: boolean;
  /** ISO time of the last check. */
  at: string;
}

export interface LessonProgress {
  answers: Record<string, StoredAnswer>;
  /** Policy texts of fix-the-policy questions as the learner left them, checked or not. */
  drafts: Record<string, string>;
  completedAt?: string;
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  lessons: Record<string, LessonProgress>;
}

export const emptyProgress = (): Progress => ({ version: PROGRESS_VERSION, lessons: {} });

export type DecodedProgress =
  { ok: true; progress: Progress; dropped: number } | { ok: false; message: string };

const DECISIONS = new Set(['Allow', 'ExplicitDeny', 'ImplicitDeny']);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function isAnswer(value: unknown): value is Answer {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'choice':
      return isStrings(value.selected);
    case 'order':
      return isStrings(value.order);
    case 'text':
    case 'fix':
      return typeof value.text === 'string';
    case 'predict':
      return (
        typeof value.decision === 'string' &&
        DECISIONS.has(value.decision) &&
        (value.statement === null || typeof value.statement === 'string')
      );
    default:
      return false;
  }
}

export function decodeProgress(text: string): DecodedProgress {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the progress file is not JSON' };
  }
  if (!isRecord(data) || typeof data.version !== 'number' || !isRecord(data.lessons))
    return { ok: false, message: 'this is not a KMS Policy Lab progress file (no "version" and "lessons")' };
  if (data.version > PROGRESS_VERSION)
    return {
      ok: false,
      message: `the progress was saved by a newer version of the lab (format ${data.version})`,
    };
  let dropped = 0;
  const lessons: Record<string, LessonProgress> = {};
  for (const [lessonId, raw] of Object.entries(data.lessons)) {
    if (!isRecord(raw)) {
      dropped++;
      continue;
    }
    const answers: Record<string, StoredAnswer> = {};
    for (const [questionId, stored] of Object.entries(isRecord(raw.answers) ? raw.answers : {})) {
      if (
        isRecord(stored) &&
        isAnswer(stored.answer) &&
        typeof stored.correct === 'boolean' &&
        typeof stored.at === 'string'
      )
        answers[questionId] = { answer: stored.answer, correct: stored.correct, at: stored.at };
      else dropped++;
    }
    const drafts: Record<string, string> = {};
    for (const [questionId, draft] of Object.entries(isRecord(raw.drafts) ? raw.drafts : {})) {
      if (typeof draft === 'string') drafts[questionId] = draft;
      else dropped++;
    }
    lessons[lessonId] = {
      answers,
      drafts,
      ...(typeof raw.completedAt === 'string' ? { completedAt: raw.completedAt } : {}),
    };
  }
  return { ok: true, progress: { version: PROGRESS_VERSION, lessons }, dropped };
}

export function encodeProgress(progress: Progress): string {
  return JSON.stringify(progress, null, 2);
}
