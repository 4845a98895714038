/**
 * Parses one lesson file into the lesson model (docs/lessons.md): front matter, prose, scenario embeds and
 * questions, each with its place in the file. Never throws; every problem names file:line:column.
 */
import type { Heading, Paragraph, RootContent } from 'mdast';
import { readFrontMatter } from './front-matter';
import { GLOSSARY_LINK, parseMarkdown, placeOf, renderHtml, scenarioOfLink, textOf, walk } from './markdown';
import { questionComment, readQuestion, type QuestionProblem } from './questions';
import type { Lesson, LessonBlock, LessonProblem, Parsed, Place, Question } from './types';

export function parseLesson(file: string, text: string): Parsed<Lesson> {
  const problems: LessonProblem[] = [];
  const report = (at: Place, message: string) => problems.push({ file, line: at.line, column: at.column, message });
  let root;
  try {
    root = parseMarkdown(text);
  } catch (error) {
    report({ line: 1, column: 1 }, `markdown could not be read: ${(error as Error).message}`);
    return { ok: false, problems };
  }
  const [first, ...children] = root.children;
  if (first?.type !== 'yaml') {
    report({ line: 1, column: 1 }, 'a lesson starts with YAML front matter between --- lines');
    return { ok: false, problems };
  }
  const front = readFrontMatter(first.value, { line: placeOf(first).line + 1, column: 1 });
  for (const problem of front.problems) report(problem, problem.message);

  const blocks: LessonBlock[] = [];
  const questions: Question[] = [];
  const questionProblems: QuestionProblem[] = [];
  let prose: RootContent[] = [];
  const flushProse = () => {
    if (prose.length > 0) blocks.push({ kind: 'prose', html: renderHtml(prose) });
    prose = [];
  };

  for (let index = 0; index < children.length; index++) {
    const node = children[index]!;
    const next = children[index + 1];
    const attributes = node.type === 'heading' && next?.type === 'html' ? questionComment(next.value) : undefined;
    if (node.type === 'heading' && attributes) {
      const end = questionEnd(children, index, node);
      for (const stray of children.slice(index + 2, end))
        if (stray.type === 'html' && questionComment(stray.value))
          report(placeOf(stray), 'a question comment must come right after its heading');
      const question = readQuestion(node, attributes, placeOf(next), children.slice(index + 2, end), questionProblems);
      flushProse();
      if (question) {
        questions.push(question);
        blocks.push({ kind: 'question', questionId: question.id });
      }
      index = end - 1;
      continue;
    }
    if (node.type === 'html' && questionComment(node.value)) {
      report(placeOf(node), 'a question comment must come right after its heading');
      continue;
    }
    // The app shows the title itself; the markdown's own top heading is for GitHub.
    if (node.type === 'heading' && node.depth === 1 && blocks.length === 0 && prose.length === 0) continue;
    const embed = scenarioEmbed(node);
    if (embed) {
      flushProse();
      blocks.push({ kind: 'scenario', ...embed, place: placeOf(node) });
      continue;
    }
    prose.push(node);
  }
  flushProse();
  for (const problem of questionProblems) report(problem, problem.message);

  const scenarios: Lesson['scenarios'] = [];
  const glossaryLinks: Lesson['glossaryLinks'] = [];
  walk(root, (node) => {
    if (node.type !== 'link') return;
    const glossary = GLOSSARY_LINK.exec(node.url);
    const scenario = scenarioOfLink(node.url);
    if (glossary) glossaryLinks.push({ anchor: glossary[1]!, place: placeOf(node) });
    else if (scenario) scenarios.push({ name: scenario, place: placeOf(node) });
    else if (/glossary\.md/.test(node.url) || /scenarios\//.test(node.url))
      report(
        placeOf(node),
        `link "${node.url}" should be glossary.md#term, scenarios/name.json or ../scenarios/templates/name.json`,
      );
  });
  for (const question of questions)
    if (question.type === 'predict' || question.type === 'fix')
      scenarios.push({ name: question.scenario, place: question.place });

  if (!front.value) return { ok: false, problems };
  return {
    ok: true,
    value: { file, ...front.value, blocks, questions, scenarios, glossaryLinks },
    problems,
  };
}

/** A question runs to the next heading of its level or above, or to the next question heading. */
function questionEnd(children: RootContent[], start: number, heading: Heading): number {
  for (let index = start + 1; index < children.length; index++) {
    const node = children[index]!;
    if (node.type !== 'heading') continue;
    const next = children[index + 1];
    if (node.depth <= heading.depth || (next?.type === 'html' && questionComment(next.value))) return index;
  }
  return children.length;
}

/** A paragraph that is only a link to `scenarios/name.json`: an "open in the lab" card. */
function scenarioEmbed(node: RootContent): { scenario: string; label: string } | undefined {
  if (node.type !== 'paragraph') return undefined;
  const meaningful = (node as Paragraph).children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const link = meaningful[0];
  if (meaningful.length !== 1 || link?.type !== 'link') return undefined;
  const scenario = scenarioOfLink(link.url);
  return scenario ? { scenario, label: textOf(link) } : undefined;
}
