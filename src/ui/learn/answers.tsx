/**
 * Inputs of the simple question types: choices (radio group or checkboxes), a short answer and an ordering
 * list moved by buttons. Each grades with the lesson engine's pure functions and shows the option feedback.
 */
import { useId, useState } from 'react';
import {
  gradeChoice,
  gradeOrdering,
  gradeShortAnswer,
  type ChoiceQuestion,
  type GlossaryEntry,
  type OrderingQuestion,
  type ShortAnswerQuestion,
} from '../../lessons/index';
import type { Answer } from '../../state/lessons-progress';
import { Html } from '../markdown/Html';
import { shuffled } from './shuffle';

export interface AnswerProps<Q> {
  question: Q;
  glossary: readonly GlossaryEntry[];
  initial?: Answer;
  onChecked(answer: Answer, correct: boolean): void;
}

export function Verdict({ correct, children }: { correct: boolean | null; children?: React.ReactNode }) {
  return (
    <div className="question__verdict" role="status" data-testid="verdict">
      {correct === null ? null : (
        <p className={correct ? 'verdict verdict--right' : 'verdict verdict--wrong'}>
          {correct ? '✓ Right.' : '✕ Not quite.'} {children}
        </p>
      )}
    </div>
  );
}

export function ChoiceAnswer({ question, glossary, initial, onChecked }: AnswerProps<ChoiceQuestion>) {
  const name = useId();
  const multiple = question.type === 'multiple';
  const options = question.type === 'true-false' ? question.options : shuffled(question.options, question.id);
  const [selected, setSelected] = useState<string[]>(initial?.kind === 'choice' ? initial.selected : []);
  const [checked, setChecked] = useState(initial?.kind === 'choice');
  const grade = checked ? gradeChoice(question, selected) : null;
  const toggle = (id: string) => {
    setChecked(false);
    setSelected((now) => (multiple ? (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]) : [id]));
  };
  const check = () => {
    setChecked(true);
    onChecked({ kind: 'choice', selected }, gradeChoice(question, selected).correct);
  };
  return (
    <div className="question__answer">
      <fieldset>
        <legend>{multiple ? 'Pick every right option' : 'Pick one'}</legend>
        {options.map((option) => {
          const picked = selected.includes(option.id);
          return (
            <div
              key={option.id}
              className={`option ${grade && picked ? (option.correct ? 'option--right' : 'option--wrong') : ''}`}
            >
              <label>
                <input
                  type={multiple ? 'checkbox' : 'radio'}
                  name={name}
                  checked={picked}
                  onChange={() => toggle(option.id)}
                />
                <Html html={option.html} glossary={glossary} inline />
              </label>
              {grade && picked && option.feedbackHtml && (
                <Html className="option__feedback" html={option.feedbackHtml} glossary={glossary} />
              )}
            </div>
          );
        })}
      </fieldset>
      <button type="button" className="learn-primary" onClick={check} disabled={selected.length === 0}>
        Check
      </button>
      <Verdict correct={grade ? grade.correct : null}>
        {grade && !grade.correct && grade.missed.length > 0 && multiple ? 'A right option is missing.' : null}
      </Verdict>
    </div>
  );
}

export function ShortAnswer({ question, glossary, initial, onChecked }: AnswerProps<ShortAnswerQuestion>) {
  const id = useId();
  const [text, setText] = useState(initial?.kind === 'text' ? initial.text : '');
  const [checked, setChecked] = useState(initial?.kind === 'text');
  const grade = checked ? gradeShortAnswer(question, text) : null;
  const check = () => {
    setChecked(true);
    onChecked({ kind: 'text', text }, gradeShortAnswer(question, text).correct);
  };
  return (
    <div className="question__answer">
      <label htmlFor={id}>Your answer</label>
      <input
        id={id}
        type="text"
        value={text}
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value);
          setChecked(false);
        }}
        onKeyDown={(event) => event.key === 'Enter' && text.trim() && check()}
      />
      <button type="button" className="learn-primary" onClick={check} disabled={text.trim() === ''}>
        Check
      </button>
      <Verdict correct={grade ? grade.correct : null}>
        {grade && !grade.correct && !grade.matched ? 'That is not one of the accepted answers.' : null}
      </Verdict>
      {grade?.matched?.feedbackHtml && (
        <Html className="option__feedback" html={grade.matched.feedbackHtml} glossary={glossary} />
      )}
    </div>
  );
}

export function OrderingAnswer({ question, glossary, initial, onChecked }: AnswerProps<OrderingQuestion>) {
  const byId = new Map(question.items.map((item) => [item.id, item]));
  const [order, setOrder] = useState<string[]>(() =>
    initial?.kind === 'order' && initial.order.every((id) => byId.has(id))
      ? initial.order
      : shuffled(question.items, question.id).map((item) => item.id),
  );
  const [checked, setChecked] = useState(initial?.kind === 'order');
  const [moved, setMoved] = useState('');
  const grade = checked ? gradeOrdering(question, order) : null;
  const move = (index: number, by: -1 | 1) => {
    const next = [...order];
    [next[index], next[index + by]] = [next[index + by]!, next[index]!];
    setOrder(next);
    setChecked(false);
    setMoved(`"${byId.get(order[index]!)!.text}" is now step ${index + by + 1} of ${order.length}.`);
  };
  const check = () => {
    setChecked(true);
    onChecked({ kind: 'order', order }, gradeOrdering(question, order).correct);
  };
  return (
    <div className="question__answer">
      <ol className="ordering" aria-label="Steps, in your order">
        {order.map((id, index) => {
          const item = byId.get(id)!;
          return (
            <li key={id} className={grade ? (grade.inPlace[index] ? 'option--right' : 'option--wrong') : ''}>
              <Html html={item.html} glossary={glossary} inline />
              <span className="ordering__moves">
                <button
                  type="button"
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={`Move "${item.text}" up`}
                >
                  ↑
                </button>
                <button
                  type="button"
                  onClick={() => move(index, 1)}
                  disabled={index === order.length - 1}
                  aria-label={`Move "${item.text}" down`}
                >
                  ↓
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {moved}
      </p>
      <button type="button" className="learn-primary" onClick={check}>
        Check
      </button>
      <Verdict correct={grade ? grade.correct : null}>
        {grade && !grade.correct
          ? `${grade.inPlace.filter(Boolean).length} of ${order.length} steps are in place.`
          : null}
      </Verdict>
    </div>
  );
}
