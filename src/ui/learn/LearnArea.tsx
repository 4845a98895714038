/**
 * The Learn area: `#/learn` the path of lessons, `#/learn/<lesson id>` a lesson, `#/learn/glossary[/<term>]`
 * the glossary. Lessons load and parse on first visit (lazy chunks, not the initial bundle).
 */
import { useEffect, useState } from 'react';
import { useHashRoute } from '../shell/use-hash-route';
import { GlossaryPage } from './GlossaryPage';
import { LessonPage } from './LessonPage';
import { loadLibrary, type LessonLibrary } from './lesson-content';
import { PathPage } from './PathPage';
import './learn.css';

export default function LearnArea() {
  const route = useHashRoute();
  const [library, setLibrary] = useState<LessonLibrary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadLibrary().then(setLibrary, (failure: Error) => setError(failure.message));
  }, []);
  if (error) return <p role="alert">The lessons could not be loaded: {error}</p>;
  if (!library)
    return (
      <p className="area-loading" role="status">
        Loading the lessons…
      </p>
    );
  const [page, rest = ''] = route.subPath.split('/');
  let content;
  if (page === 'glossary') content = <GlossaryPage glossary={library.glossary} anchor={rest} />;
  else {
    const lesson = library.lessons.find((candidate) => candidate.id === page);
    content = lesson ? (
      <LessonPage key={lesson.id} lesson={lesson} lessons={library.lessons} glossary={library.glossary} />
    ) : (
      <>
        {page && <p role="alert">There is no lesson “{page}”. Here are all of them.</p>}
        <PathPage lessons={library.lessons} />
      </>
    );
  }
  return (
    <div className="learn">
      {library.problems.length > 0 && (
        <p role="alert">
          Some lessons could not be read:{' '}
          {library.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('; ')}
        </p>
      )}
      {content}
    </div>
  );
}
