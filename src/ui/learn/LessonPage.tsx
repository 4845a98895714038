/** A lesson: its objectives, the prose and embeds in reading order, its questions, and the quiz summary. */
import { useEffect, useState } from 'react';
import { quizScore, type GlossaryEntry, type Lesson } from '../../lessons/index';
import { useLessonsStore } from '../../state/lessons-store';
import { ScenarioCard } from './exercises';
import { Html } from '../markdown/Html';
import { QuestionCard } from './QuestionCard';

export function LessonPage({
  lesson,
  lessons,
  glossary,
}: {
  lesson: Lesson;
  lessons: Lesson[];
  glossary: GlossaryEntry[];
}) {
  const progress = useLessonsStore((state) => state.progress.lessons[lesson.id]);
  const resetLesson = useLessonsStore((state) => state.resetLesson);
  const complete = useLessonsStore((state) => state.complete);
  const [confirming, setConfirming] = useState(false);
  const [resets, setResets] = useState(0);
  const answered = lesson.questions.filter((q) => progress?.answers[q.id]);
  const score = quizScore(lesson.questions.map((q) => progress?.answers[q.id]?.correct === true));
  const wrong = answered.filter((q) => !progress!.answers[q.id]!.correct);
  const allAnswered = answered.length === lesson.questions.length && lesson.questions.length > 0;
  useEffect(() => {
    if (allAnswered) complete(lesson.id);
  }, [allAnswered, complete, lesson.id]);
  const index = lessons.indexOf(lesson);
  const next = lessons[index + 1];
  const byId = new Map(lesson.questions.map((q, i) => [q.id, { question: q, number: i + 1 }]));
  const review = (id: string) => {
    const element = document.getElementById(`question-${id}`);
    element?.scrollIntoView({ block: 'start' });
    element?.focus({ preventScroll: true });
  };

  return (
    <article className="lesson" aria-labelledby="lesson-title">
      <p>
        <a href="#/learn">← All lessons</a>
      </p>
      <h2 id="lesson-title">{lesson.title}</h2>
      <p className="muted">
        About {lesson.minutes} minutes · {lesson.questions.length} questions
      </p>
      <section className="lesson__objectives" aria-label="Objectives">
        <p>After this lesson you can:</p>
        <ul>
          {lesson.objectives.map((objective) => (
            <li key={objective}>{objective}</li>
          ))}
        </ul>
      </section>
      <div key={resets}>
        {lesson.blocks.map((block, i) =>
          block.kind === 'prose' ? (
            <Html key={i} html={block.html} glossary={glossary} className="lesson__prose" />
          ) : block.kind === 'scenario' ? (
            <ScenarioCard key={i} name={block.scenario} label={block.label} />
          ) : (
            <QuestionCard
              key={block.questionId}
              lessonId={lesson.id}
              question={byId.get(block.questionId)!.question}
              number={byId.get(block.questionId)!.number}
              glossary={glossary}
            />
          ),
        )}
      </div>
      <section className="quiz-summary" aria-labelledby="quiz-summary-title" data-testid="quiz-summary">
        <h3 id="quiz-summary-title">Checkpoint score</h3>
        <p role="status">
          {score.right} of {score.total} right ({score.percent}%) · {answered.length} of{' '}
          {lesson.questions.length} answered
          {allAnswered ? ' · lesson complete' : ''}
        </p>
        {wrong.length > 0 && (
          <>
            <p>Review what was not right yet:</p>
            <ul>
              {wrong.map((q) => (
                <li key={q.id}>
                  <button type="button" className="link-button" onClick={() => review(q.id)}>
                    Question {byId.get(q.id)!.number}: {q.title}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="learn-row">
          {next && <a href={`#/learn/${next.id}`}>Next: {next.title} →</a>}
          {!confirming ? (
            <button type="button" onClick={() => setConfirming(true)}>
              Reset this lesson
            </button>
          ) : (
            <span role="group" aria-label="Confirm the reset">
              Forget every answer of this lesson?{' '}
              <button
                type="button"
                onClick={() => {
                  resetLesson(lesson.id);
                  setResets(resets + 1);
                  setConfirming(false);
                }}
              >
                Yes, reset
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Keep my answers
              </button>
            </span>
          )}
        </p>
      </section>
    </article>
  );
}
