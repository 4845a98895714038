/** The lesson engine's API (docs/lessons.md): parse lessons and the glossary, grade answers, check content. */
export * from './types';
export { parseLesson } from './parse-lesson';
export { parseGlossary } from './glossary';
export { GLOSSARY_LINK, renderHtml, renderMarkdown, parseMarkdown } from './markdown';
export * from './grade';
export * from './exercise';
export { DECISIONS } from './questions';
export { checkLessons, formatProblem, type LessonSources, type SourceFile, type CheckReport } from './check';
