/**
 * Grading of the answers a learner gives, as pure functions of the question and the answer. Predict and fix
 * questions are graded against the engine in exercise.ts.
 */
import type { Decision } from '../engine/types';
import type { ChoiceQuestion, OrderingQuestion, PredictQuestion, QuestionOption, ShortAnswerQuestion } from './types';

export interface ChoiceGrade {
  correct: boolean;
  /** The options the learner picked, each with whether it was right and its feedback. */
  picked: QuestionOption[];
  /** Right options the learner did not pick. */
  missed: QuestionOption[];
}

export function gradeChoice(question: ChoiceQuestion, selected: readonly string[]): ChoiceGrade {
  const picked = question.options.filter((option) => selected.includes(option.id));
  const missed = question.options.filter((option) => option.correct && !selected.includes(option.id));
  const correct = missed.length === 0 && picked.every((option) => option.correct) && picked.length > 0;
  return { correct, picked, missed };
}

/** Case, surrounding space and punctuation, quotes and repeated spaces do not matter. */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[`"'“”‘’]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\s.,;:!?]+|[\s.,;:!?]+$/g, '');
}

export interface ShortAnswerGrade {
  correct: boolean;
  /** The accepted or known-wrong answer the text matched, for its feedback. */
  matched?: QuestionOption;
}

export function gradeShortAnswer(question: ShortAnswerQuestion, text: string): ShortAnswerGrade {
  const answer = normalizeAnswer(text);
  const matched = question.options.find((option) => normalizeAnswer(option.text) === answer);
  return { correct: matched?.correct === true, ...(matched ? { matched } : {}) };
}

export interface OrderingGrade {
  correct: boolean;
  /** For each position of the learner's order: whether the right step stands there. */
  inPlace: boolean[];
}

export function gradeOrdering(question: OrderingQuestion, order: readonly string[]): OrderingGrade {
  const inPlace = question.items.map((item, index) => order[index] === item.id);
  return { correct: order.length === question.items.length && inPlace.every(Boolean), inPlace };
}

export interface PredictAnswer {
  decision: Decision;
  /** The Sid the learner says decided; null for "no statement". */
  statement: string | null;
}

export interface PredictGrade {
  correct: boolean;
  decisionCorrect: boolean;
  statementCorrect: boolean;
  /** Feedback of the decision option the learner picked. */
  feedbackHtml?: string;
}

/**
 * `decidedBy` is what the engine says decided (exercise.ts `decidingStatements`); the lesson's own answer was
 * proven equal to it by `lab lessons check`.
 */
export function gradePredict(
  question: PredictQuestion,
  answer: PredictAnswer,
  decidedBy: readonly string[] = question.decidedBy,
  decision: Decision = question.decision,
): PredictGrade {
  const decisionCorrect = answer.decision === decision;
  const statementCorrect =
    answer.statement === null ? decidedBy.length === 0 : decidedBy.includes(answer.statement);
  const feedbackHtml = question.options.find((option) => option.text === answer.decision)?.feedbackHtml;
  return {
    correct: decisionCorrect && statementCorrect,
    decisionCorrect,
    statementCorrect,
    ...(feedbackHtml ? { feedbackHtml } : {}),
  };
}

/** Score of a quiz: right answers over questions, as a whole percentage. */
export function quizScore(results: readonly boolean[]): { right: number; total: number; percent: number } {
  const right = results.filter(Boolean).length;
  return { right, total: results.length, percent: results.length === 0 ? 0 : Math.round((100 * right) / results.length) };
}
