/**
 * `lab lessons check` (lab-design §5): reads lessons/*.md, lessons/glossary.md and lessons/scenarios/*.json and
 * prints every problem the lesson checker finds as `file:line:column: message`. Exit 0 clean, 1 problems, 2 usage.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkLessons, formatProblem, type SourceFile } from '../lessons/index';

export const LESSONS_USAGE = `  lab lessons check
      Check every lesson in lessons/: front matter, questions, glossary links, scenario references,
      duplicate ids; prove every exercise on the engine. Prints file:line:column: message per problem.`;

interface Output {
  cwd: string;
  root: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Files the folder holds that are not lessons. */
const NOT_LESSONS = new Set(['glossary.md', 'README.md']);

export async function lessonsCheck(output: Output): Promise<number> {
  const folder = path.join(output.root, 'lessons');
  const names = (await readdir(folder).catch(() => [] as string[])).sort();
  const lessonNames = names.filter((name) => name.endsWith('.md') && !NOT_LESSONS.has(name));
  if (lessonNames.length === 0) {
    output.stdout('no lessons yet\n');
    return 0;
  }
  // Problems name files as the person running the command would open them.
  const shown = (name: string) => path.relative(output.cwd, path.join(folder, name)) || name;
  const read = async (name: string): Promise<SourceFile> => ({
    file: shown(name),
    text: await readFile(path.join(folder, name), 'utf8'),
  });
  const jsonIn = async (dir: string) =>
    (await readdir(path.join(folder, dir)).catch(() => [] as string[])).filter((name) =>
      name.endsWith('.json'),
    );
  const scenarioNames = [
    ...(await jsonIn('scenarios')).map((name) => `scenarios/${name}`),
    // The Lab's templates, which lessons link as ../scenarios/templates/<name>.json.
    ...(await jsonIn('../scenarios/templates'))
      .filter((name) => name !== 'index.json')
      .map((name) => `../scenarios/templates/${name}`),
  ];
  const report = checkLessons({
    lessons: await Promise.all(lessonNames.map(read)),
    ...(names.includes('glossary.md') ? { glossary: await read('glossary.md') } : {}),
    scenarios: Object.fromEntries(
      await Promise.all(
        scenarioNames.map(
          async (name) =>
            [name.replace(/^(\.\.\/)?scenarios\//, '').replace(/\.json$/, ''), await read(name)] as const,
        ),
      ),
    ),
  });
  for (const problem of report.problems) output.stdout(`${formatProblem(problem)}\n`);
  const questions = report.lessons.reduce((sum, lesson) => sum + lesson.questions.length, 0);
  const counts = new Map<string, number>();
  for (const lesson of report.lessons)
    for (const question of lesson.questions) counts.set(question.type, (counts.get(question.type) ?? 0) + 1);
  const byType = [...counts].map(([type, count]) => `${count} ${type}`).join(', ');
  const summary = `${report.lessons.length} lesson${report.lessons.length === 1 ? '' : 's'}, ${questions} question${questions === 1 ? '' : 's'} (${byType || 'none'}), ${report.glossary.length} glossary entries, ${scenarioNames.length} scenarios`;
  if (report.problems.length > 0) {
    output.stderr(
      `lab lessons check: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${summary}\n`,
    );
    return 1;
  }
  output.stdout(`lab lessons check: ok: ${summary}\n`);
  return 0;
}
