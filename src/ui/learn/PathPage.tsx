/** The learning path: every lesson with its minutes, prerequisites and progress; export, import and notices. */
import { useRef } from 'react';
import { quizScore, type Lesson } from '../../lessons/index';
import { lessonsStore, useLessonsStore } from '../../state/lessons-store';

export function PathPage({ lessons }: { lessons: Lesson[] }) {
  const progress = useLessonsStore((state) => state.progress);
  const notice = useLessonsStore((state) => state.notice);
  const dismiss = useLessonsStore((state) => state.dismissNotice);
  const file = useRef<HTMLInputElement>(null);
  const titles = new Map(lessons.map((lesson) => [lesson.id, lesson.title]));

  const exportFile = () => {
    const blob = new Blob([lessonsStore().getState().exportProgress()], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'kms-policy-lab-progress.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  };
  const importFile = async (chosen: File | undefined) => {
    if (!chosen) return;
    lessonsStore()
      .getState()
      .importProgress(await chosen.text());
    if (file.current) file.current.value = '';
  };

  return (
    <div className="learn-path">
      <h2>Lessons</h2>
      <p>
        Ten short lessons on who may use an AWS KMS key and why, each with a checkpoint quiz. Exercises run on
        the lab&apos;s own engine; answers are saved in this browser as you go.
      </p>
      {notice && (
        <div
          className={`learn-notice learn-notice--${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          {notice.message}{' '}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      <ol className="lesson-list">
        {lessons.map((lesson) => {
          const saved = progress.lessons[lesson.id];
          const answered = lesson.questions.filter((q) => saved?.answers[q.id]).length;
          const score = quizScore(lesson.questions.map((q) => saved?.answers[q.id]?.correct === true));
          const missing = lesson.prerequisites.filter((id) => !progress.lessons[id]?.completedAt);
          return (
            <li key={lesson.id} className="lesson-list__item" data-testid={`lesson-${lesson.id}`}>
              <h3>
                <a href={`#/learn/${lesson.id}`}>{lesson.title}</a>
              </h3>
              <p className="muted">
                {lesson.minutes} min · {lesson.questions.length} questions
                {saved?.completedAt ? ' · ✓ complete' : ''}
              </p>
              <progress
                max={lesson.questions.length}
                value={answered}
                aria-label={`${lesson.title}: ${answered} of ${lesson.questions.length} answered`}
              />
              <p className="muted" data-testid="lesson-progress">
                {answered} of {lesson.questions.length} answered, {score.right} right
              </p>
              {lesson.prerequisites.length > 0 && (
                <p className="muted">
                  Before this: {lesson.prerequisites.map((id) => titles.get(id) ?? id).join(', ')}
                  {missing.length > 0 ? ' (not finished yet)' : ''}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <p className="learn-row">
        <a href="#/learn/glossary">Glossary</a>
        <button type="button" onClick={exportFile}>
          Export progress
        </button>
        <label className="file-button">
          Import progress
          <input
            ref={file}
            type="file"
            accept="application/json,.json"
            onChange={(event) => void importFile(event.target.files?.[0])}
          />
        </label>
      </p>
    </div>
  );
}
