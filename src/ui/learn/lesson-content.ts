/**
 * The lessons, bundled at build time as lazy chunks (lessons/*.md, lessons/scenarios/*.json and the Lab's
 * templates), parsed by the lesson engine on first use. Nothing here is in the initial bundle.
 */
import {
  parseGlossary,
  parseLesson,
  type GlossaryEntry,
  type Lesson,
  type LessonProblem,
} from '../../lessons/index';
import { loadScenario } from '../../scenario/load';
import type { Scenario } from '../../scenario/types';

const lessonTexts = import.meta.glob<string>(['/lessons/*.md', '!/lessons/README.md'], {
  query: '?raw',
  import: 'default',
});
const scenarioTexts = import.meta.glob<string>(
  ['/lessons/scenarios/*.json', '/scenarios/templates/*.json', '!/scenarios/templates/index.json'],
  { query: '?raw', import: 'default' },
);

export interface LessonLibrary {
  lessons: Lesson[];
  glossary: GlossaryEntry[];
  /** Lessons that did not parse (the content check keeps this empty; shown rather than hidden if not). */
  problems: LessonProblem[];
}

let library: Promise<LessonLibrary> | undefined;

export function loadLibrary(): Promise<LessonLibrary> {
  library ??= (async () => {
    const lessons: Lesson[] = [];
    const problems: LessonProblem[] = [];
    let glossary: GlossaryEntry[] = [];
    await Promise.all(
      Object.entries(lessonTexts).map(async ([path, load]) => {
        const file = path.replace('/lessons/', '');
        const text = await load();
        if (file === 'glossary.md') {
          glossary = parseGlossary(file, text).entries;
          return;
        }
        const parsed = parseLesson(file, text);
        if (parsed.ok) lessons.push(parsed.value);
        else problems.push(...parsed.problems);
      }),
    );
    lessons.sort((a, b) => a.order - b.order);
    return { lessons, glossary, problems };
  })();
  return library;
}

/** The scenario path a lesson name stands for: `name` → lessons/scenarios, `templates/name` → the Lab's. */
function scenarioPath(name: string): string {
  return name.startsWith('templates/')
    ? `/scenarios/templates/${name.slice('templates/'.length)}.json`
    : `/lessons/scenarios/${name}.json`;
}

const scenarios = new Map<string, Promise<Scenario>>();

export function loadLessonScenario(name: string): Promise<Scenario> {
  let loading = scenarios.get(name);
  if (!loading) {
    loading = (async () => {
      const load = scenarioTexts[scenarioPath(name)];
      if (!load) throw new Error(`the lesson refers to a scenario "${name}" that is not bundled`);
      const loaded = loadScenario(await load(), `${name}.json`);
      if (!loaded.ok)
        throw new Error(`scenario "${name}" could not be loaded: ${loaded.errors[0]?.message ?? ''}`);
      return loaded.scenario;
    })();
    scenarios.set(name, loading);
  }
  return loading;
}
