/**
 * One question: its prompt, the input of its type, hints one at a time, and the explanation once answered (for
 * "fix the policy", once the policy passes or the learner asks for it).
 */
import { useId, useRef, useState } from 'react';
import type { GlossaryEntry, Question } from '../../lessons/index';
import { useLessonsStore } from '../../state/lessons-store';
import { ChoiceAnswer, OrderingAnswer, ShortAnswer } from './answers';
import { FixAnswer, PredictAnswer } from './exercises';
import { explanationRevealable, explanationShown } from './explanation';
import { Html } from '../markdown/Html';

const TYPE_WORDS: Record<Question['type'], string> = {
  single: 'Single choice',
  multiple: 'Multiple choice',
  'true-false': 'True or false',
  short: 'Short answer',
  ordering: 'Put in order',
  predict: 'Predict the decision',
  fix: 'Fix the policy',
};

export function QuestionCard({
  lessonId,
  question,
  number,
  glossary,
}: {
  lessonId: string;
  question: Question;
  number: number;
  glossary: readonly GlossaryEntry[];
}) {
  const titleId = useId();
  const stored = useLessonsStore((state) => state.progress.lessons[lessonId]?.answers[question.id]);
  const record = useLessonsStore((state) => state.record);
  const [hints, setHints] = useState(0);
  const [revealed, setRevealed] = useState(false);
  // The reveal button goes away when pressed; focus moves to what it revealed.
  const focusExplanation = useRef(false);
  const props = {
    glossary,
    ...(stored ? { initial: stored.answer } : {}),
    onChecked: (answer: Parameters<typeof record>[2], correct: boolean) =>
      record(lessonId, question.id, answer, correct),
  };
  const answerInput = () => {
    switch (question.type) {
      case 'single':
      case 'multiple':
      case 'true-false':
        return <ChoiceAnswer question={question} {...props} />;
      case 'short':
        return <ShortAnswer question={question} {...props} />;
      case 'ordering':
        return <OrderingAnswer question={question} {...props} />;
      case 'predict':
        return <PredictAnswer question={question} {...props} />;
      case 'fix':
        return <FixAnswer question={question} lessonId={lessonId} {...props} />;
    }
  };
  return (
    <section
      className="question"
      id={`question-${question.id}`}
      aria-labelledby={titleId}
      data-testid={`question-${question.id}`}
      tabIndex={-1}
    >
      <p className="question__type">
        Question {number} · {TYPE_WORDS[question.type]}
        {stored && (
          <span className={stored.correct ? 'badge badge--right' : 'badge badge--wrong'}>
            {stored.correct ? 'answered right' : 'answered, not right yet'}
          </span>
        )}
      </p>
      <h3 id={titleId}>{question.title}</h3>
      <Html html={question.promptHtml} glossary={glossary} />
      {answerInput()}
      {question.hintsHtml.length > 0 && (
        <div className="question__hints">
          {question.hintsHtml.slice(0, hints).map((hint, index) => (
            <div key={index} className="hint">
              <strong>Hint {index + 1}:</strong> <Html html={hint} glossary={glossary} inline />
            </div>
          ))}
          {hints < question.hintsHtml.length && (
            <button type="button" onClick={() => setHints(hints + 1)}>
              Show a hint ({question.hintsHtml.length - hints} left)
            </button>
          )}
        </div>
      )}
      {explanationRevealable(question.type, stored, revealed) && (
        <p className="learn-row">
          <button
            type="button"
            onClick={() => {
              focusExplanation.current = true;
              setRevealed(true);
            }}
          >
            Show the explanation
          </button>
        </p>
      )}
      {explanationShown(question.type, stored, revealed) && (
        <div
          className="question__explanation"
          tabIndex={-1}
          ref={(node) => {
            if (node && focusExplanation.current) node.focus();
            focusExplanation.current = false;
          }}
        >
          <h4>Explanation</h4>
          <Html html={question.explanationHtml} glossary={glossary} />
        </div>
      )}
    </section>
  );
}
