/**
 * The lesson model: what the parser builds from a lesson's markdown (docs/lessons.md), what the checker proves
 * and what the Learn area renders. Plain data; HTML fields are rendered from markdown by the lesson pipeline and
 * still pass through the UI's sanitizer before they reach the page.
 */
import type { Decision } from '../engine/types';

/** A place in a lesson file: 1-based line and column (what editors and `file:line:column` use). */
export interface Place {
  line: number;
  column: number;
}

/** A problem found in a lesson file, with where it is. */
export interface LessonProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type QuestionType =
  | 'single' // one right option among several
  | 'multiple' // every right option, and no wrong one
  | 'true-false'
  | 'short' // a typed answer; any accepted alternative is right
  | 'ordering' // put the steps in order
  | 'predict' // predict the decision (and the deciding statement) of a request in a scenario
  | 'fix'; // edit a policy until a matrix of requests gets the expected decisions

export const QUESTION_TYPES: readonly QuestionType[] = [
  'single',
  'multiple',
  'true-false',
  'short',
  'ordering',
  'predict',
  'fix',
];

/** One option of a choice question (or one accepted/known-wrong answer of a short answer question). */
export interface QuestionOption {
  /** Stable within its question: `a`, `b`, … in the order written (the UI shuffles what it shows). */
  id: string;
  /** The option as plain text (for short answers: the answer compared). */
  text: string;
  html: string;
  correct: boolean;
  /** The blockquote under the option: shown when the learner picks it. */
  feedbackHtml?: string;
  place: Place;
}

interface QuestionBase {
  /** Stable id, unique across every lesson. */
  id: string;
  type: QuestionType;
  /** The heading's text. */
  title: string;
  /** What comes between the heading and the answer part. */
  promptHtml: string;
  /** `> **Hint:** …` blockquotes, revealed one at a time. */
  hintsHtml: string[];
  /** The closing paragraphs, shown once the learner answered. */
  explanationHtml: string;
  place: Place;
}

export interface ChoiceQuestion extends QuestionBase {
  type: 'single' | 'multiple' | 'true-false';
  options: QuestionOption[];
}

export interface ShortAnswerQuestion extends QuestionBase {
  type: 'short';
  /** Checked options are accepted answers; unchecked ones are known wrong answers with their feedback. */
  options: QuestionOption[];
}

export interface OrderingQuestion extends QuestionBase {
  type: 'ordering';
  /** In the right order. */
  items: QuestionOption[];
}

export interface PredictQuestion extends QuestionBase {
  type: 'predict';
  /** Name of a scenario in lessons/scenarios (without `.json`). */
  scenario: string;
  requestId: string;
  /** The three decisions as options, with per-option feedback; the checked one is the answer. */
  options: QuestionOption[];
  decision: Decision;
  /** Sids (or statement labels) of the statements that decided; empty when nothing allowed the request. */
  decidedBy: string[];
}

export interface FixCase {
  requestId: string;
  expected: Decision;
  /** Hidden cases count in the grade but are not listed to the learner before they pass. */
  hidden: boolean;
  place: Place;
}

export interface FixQuestion extends QuestionBase {
  type: 'fix';
  scenario: string;
  /** The policy the learner edits, as an engine PolicyId (`key:<arn>`, `identity:<arn>#0`…). */
  policyId: string;
  /** The ```json starter block; without one the editor starts from the scenario's policy. */
  starter?: string;
  starterPlace?: Place;
  /** The ```json solution block. */
  solution: string;
  solutionPlace: Place;
  cases: FixCase[];
}

export type Question =
  | ChoiceQuestion
  | ShortAnswerQuestion
  | OrderingQuestion
  | PredictQuestion
  | FixQuestion;

/** A piece of the lesson page, in reading order. */
export type LessonBlock =
  | { kind: 'prose'; html: string }
  | { kind: 'scenario'; scenario: string; label: string; place: Place }
  | { kind: 'question'; questionId: string };

/** The front matter's fields (docs/lessons.md). */
export interface FrontMatter {
  id: string;
  title: string;
  order: number;
  minutes: number;
  objectives: string[];
  prerequisites: string[];
  /** Where the fields' values stand in the file (one place per prerequisite), for the content check. */
  places: { id: Place; order: Place; prerequisites: Place[] };
}

export interface Lesson extends FrontMatter {
  /** The file, relative to the lessons folder (e.g. `03-key-policies.md`). */
  file: string;
  blocks: LessonBlock[];
  questions: Question[];
  /** Scenario names this lesson refers to (embeds and questions). */
  scenarios: { name: string; place: Place }[];
  /** Glossary anchors this lesson links to. */
  glossaryLinks: { anchor: string; place: Place }[];
}

export interface GlossaryEntry {
  /** GitHub's anchor for the heading (`key-policy`). */
  anchor: string;
  term: string;
  definitionHtml: string;
  place: Place;
}

export type Parsed<T> = { ok: true; value: T; problems: LessonProblem[] } | { ok: false; problems: LessonProblem[] };
