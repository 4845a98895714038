/**
 * `lab lessons check`: parses every lesson, the glossary and the lesson scenarios, and proves the content
 * (docs/lessons.md, "What the checker proves"). Pure: the caller reads the files.
 */
import type { Scenario } from '../engine/index';
import { formatLocatedError, loadScenario } from '../scenario/load';
import { gradeFix, resolvePolicyId, runPredict, starterText } from './exercise';
import { parseGlossary } from './glossary';
import { parseLesson } from './parse-lesson';
import type { GlossaryEntry, Lesson, LessonProblem, Place } from './types';

export interface SourceFile {
  /** Relative to the lessons folder, as problems name it. */
  file: string;
  text: string;
}

export interface LessonSources {
  lessons: SourceFile[];
  glossary?: SourceFile;
  /** lessons/scenarios/<name>.json keyed by name, and the Lab's scenarios/templates/<name>.json as `templates/<name>`. */
  scenarios: Record<string, SourceFile>;
}

export interface CheckReport {
  lessons: Lesson[];
  glossary: GlossaryEntry[];
  problems: LessonProblem[];
}

export function checkLessons(sources: LessonSources): CheckReport {
  const problems: LessonProblem[] = [];
  const lessons: Lesson[] = [];
  for (const source of sources.lessons) {
    const parsed = parseLesson(source.file, source.text);
    problems.push(...parsed.problems);
    if (parsed.ok) lessons.push(parsed.value);
  }
  const glossary = sources.glossary ? parseGlossary(sources.glossary.file, sources.glossary.text) : undefined;
  if (glossary) problems.push(...glossary.problems);

  const scenarios = new Map<string, Scenario>();
  for (const [name, source] of Object.entries(sources.scenarios)) {
    const loaded = loadScenario(source.text, source.file);
    if (loaded.ok) scenarios.set(name, loaded.scenario);
    else
      for (const error of loaded.errors)
        problems.push({ file: source.file, line: error.line, column: error.column, message: formatLocatedError(error) });
  }

  checkIds(lessons, problems);
  const anchors = new Set(glossary?.entries.map((entry) => entry.anchor));
  for (const lesson of lessons) {
    const report = (at: Place, message: string) => problems.push({ file: lesson.file, ...at, message });
    for (const link of lesson.glossaryLinks)
      if (!anchors.has(link.anchor))
        report(link.place, glossary ? `glossary.md has no entry "#${link.anchor}"` : 'lessons/glossary.md is missing');
    for (const use of lesson.scenarios)
      if (!(use.name in sources.scenarios))
        report(
          use.place,
          use.name.startsWith('templates/')
            ? `no Lab template scenarios/${use.name}.json`
            : `no scenario scenarios/${use.name}.json`,
        );
    for (const question of lesson.questions) {
      if (question.type !== 'predict' && question.type !== 'fix') continue;
      const scenario = scenarios.get(question.scenario);
      if (!scenario) continue; // reported above (missing or invalid)
      const prefix = `question ${question.id}: `;
      if (question.type === 'predict') {
        const run = runPredict(scenario, question);
        if (!run.ok) {
          report(question.place, prefix + run.message);
          continue;
        }
        if (run.result.decision !== question.decision)
          report(question.place, `${prefix}the engine decides ${run.result.decision}, the lesson says ${question.decision}`);
        const said = [...question.decidedBy].sort().join(', ') || 'no statement';
        const real = [...run.decidedBy].sort().join(', ') || 'no statement';
        if (said !== real) report(question.place, `${prefix}decided by ${real} according to the engine, the lesson says ${said}`);
        continue;
      }
      const resolved = resolvePolicyId(scenario, question.policyId);
      if (!resolved.ok) {
        report(question.place, prefix + resolved.message);
        continue;
      }
      const solution = gradeFix(scenario, question, question.solution);
      if (!solution.ok) report(question.solutionPlace, `${prefix}solution: ${solution.message}`);
      else
        for (const failing of solution.cases.filter((c) => !c.pass))
          report(failing.place, `${prefix}the solution gets ${failing.actual} for ${failing.requestId}, expected ${failing.expected}`);
      const starter = gradeFix(scenario, question, starterText(scenario, question));
      if (!starter.ok) report(question.starterPlace ?? question.place, `${prefix}starter: ${starter.message}`);
      else if (starter.passed) report(question.starterPlace ?? question.place, `${prefix}the starter policy already passes every case`);
      if (!question.cases.some((c) => c.hidden)) report(question.place, `${prefix}mark at least one case hidden`);
      if (question.cases.every((c) => c.hidden)) report(question.place, `${prefix}show at least one case`);
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  lessons.sort((a, b) => a.order - b.order);
  return { lessons, glossary: glossary?.entries ?? [], problems };
}

/** Lesson ids, orders and question ids are unique; prerequisites exist and come earlier in the path. */
function checkIds(lessons: Lesson[], problems: LessonProblem[]): void {
  const first = <T>(seen: Map<T, string>, key: T, file: string) => {
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, file);
    return earlier;
  };
  const ids = new Map<string, string>();
  const orders = new Map<number, string>();
  const questions = new Map<string, string>();
  for (const lesson of lessons) {
    const at = (place: Place) => ({ file: lesson.file, ...place });
    const sameId = first(ids, lesson.id, lesson.file);
    if (sameId) problems.push({ ...at(lesson.places.id), message: `lesson id "${lesson.id}" is also used by ${sameId}` });
    const sameOrder = first(orders, lesson.order, lesson.file);
    if (sameOrder) problems.push({ ...at(lesson.places.order), message: `order ${lesson.order} is also used by ${sameOrder}` });
    for (const question of lesson.questions) {
      const same = first(questions, question.id, lesson.file);
      if (same) problems.push({ file: lesson.file, ...question.place, message: `question id "${question.id}" is also used in ${same}` });
    }
  }
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  for (const lesson of lessons)
    lesson.prerequisites.forEach((prerequisite, index) => {
      const at = { file: lesson.file, ...(lesson.places.prerequisites[index] ?? { line: 1, column: 1 }) };
      const other = byId.get(prerequisite);
      if (!other) problems.push({ ...at, message: `prerequisite "${prerequisite}" is not a lesson id` });
      else if (other.order >= lesson.order)
        problems.push({ ...at, message: `prerequisite "${prerequisite}" comes later in the path (order ${other.order})` });
    });
}

export function formatProblem(problem: LessonProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}
