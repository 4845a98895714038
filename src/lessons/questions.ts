/**
 * Reads one question from the mdast nodes under its heading (docs/lessons.md, "Questions"): the prompt, the
 * answer part its type uses (a task list, an ordered list, a decision list, or a fix-the-policy table with its
 * solution), `> **Hint:**` blockquotes and the closing explanation.
 */
import type { Blockquote, Code, Heading, List, ListItem, RootContent, Table } from 'mdast';
import { placeOf, renderHtml, textOf } from './markdown';
import type { Decision } from '../engine/types';
import {
  QUESTION_TYPES,
  type FixCase,
  type Place,
  type Question,
  type QuestionOption,
  type QuestionType,
} from './types';

export interface QuestionProblem extends Place {
  message: string;
}

/** The attributes of `<!-- question id=… type=… -->`. */
export type QuestionAttributes = Record<string, string>;

const QUESTION_COMMENT = /^<!--\s*question\b([\s\S]*?)-->$/;
export const DECISIONS: readonly Decision[] = ['Allow', 'ExplicitDeny', 'ImplicitDeny'];
const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The attributes when `html` is a question comment, else undefined. */
export function questionComment(html: string): QuestionAttributes | undefined {
  const match = QUESTION_COMMENT.exec(html.trim());
  if (!match) return undefined;
  const attributes: QuestionAttributes = {};
  for (const [, name, value] of match[1]!.matchAll(/([a-z]+)=("[^"]*"|\S+)/g))
    attributes[name!] = value!.replace(/^"|"$/g, '');
  return attributes;
}

export function readQuestion(
  heading: Heading,
  attributes: QuestionAttributes,
  commentPlace: Place,
  body: RootContent[],
  problems: QuestionProblem[],
): Question | undefined {
  const place = placeOf(heading);
  const fail = failInto(problems);
  const { id, type } = attributes;
  if (!id || !ID.test(id)) return fail(commentPlace, 'question: "id" must be lower-case letters, digits and hyphens');
  if (!type || !QUESTION_TYPES.includes(type as QuestionType))
    return fail(commentPlace, `question ${id}: "type" must be one of ${QUESTION_TYPES.join(', ')}`);

  const hints = body.filter(isHint);
  const rest = body.filter((node) => !isHint(node));
  const answerIndex = rest.findIndex((node) => isAnswerPart(type as QuestionType, node));
  if (answerIndex < 0) return fail(place, `question ${id}: no ${answerPartName(type as QuestionType)} found`);
  let lastAnswer = answerIndex;
  rest.forEach((node, index) => {
    if (index > answerIndex && isAnswerPart(type as QuestionType, node, true)) lastAnswer = index;
  });
  const explanationNodes = rest.slice(lastAnswer + 1).filter((node) => !isClosingHtml(node));
  const base = {
    id,
    title: textOf(heading),
    promptHtml: renderHtml(rest.slice(0, answerIndex)),
    hintsHtml: hints.map((hint) => renderHtml(stripHintLabel(hint as Blockquote).children)),
    explanationHtml: renderHtml(explanationNodes),
    place,
  };
  if (explanationNodes.length === 0)
    problems.push({ ...place, message: `question ${id}: no explanation (a closing paragraph after the answer)` });
  const answer = rest[answerIndex]!;
  const answerPart = rest.slice(answerIndex, lastAnswer + 1);

  switch (type as QuestionType) {
    case 'single':
    case 'multiple':
    case 'true-false':
    case 'short': {
      const options = readOptions(answer as List);
      const correct = options.filter((option) => option.correct).length;
      if (type === 'single' && (correct !== 1 || options.length < 2))
        return fail(placeOf(answer), `question ${id}: a single-choice question needs two or more options, one checked`);
      if (type === 'multiple' && (correct < 1 || options.length < 2))
        return fail(placeOf(answer), `question ${id}: a multiple-choice question needs options with at least one checked`);
      if (
        type === 'true-false' &&
        (correct !== 1 || options.map((o) => o.text.toLowerCase()).join(',') !== 'true,false')
      )
        return fail(placeOf(answer), `question ${id}: a true/false question lists "True" and "False", one checked`);
      if (type === 'short' && correct < 1)
        return fail(placeOf(answer), `question ${id}: a short answer question needs at least one accepted answer ([x])`);
      return { ...base, type: type as 'single', options };
    }
    case 'ordering': {
      const items = readOptions(answer as List);
      if (items.length < 2) return fail(placeOf(answer), `question ${id}: an ordering question needs two or more steps`);
      return { ...base, type: 'ordering', items };
    }
    case 'predict':
      return readPredict({ base, attributes, commentPlace, answerPart, fail, problems });
    case 'fix':
      return readFix({ base, attributes, commentPlace, answerPart, fail, problems });
  }
}

function readPredict({ base, attributes, commentPlace, answerPart, fail }: AnswerPartContext): Question | undefined {
  const { id } = base;
  const list = answerPart[0] as List;
  const options = readOptions(list);
  const checked = options.filter((option) => option.correct);
  if (options.map((o) => o.text).join(',') !== DECISIONS.join(',') || checked.length !== 1)
    return fail(
      placeOf(list),
      `question ${id}: a predict question lists Allow, ExplicitDeny and ImplicitDeny in that order, one checked`,
    );
  if (!attributes.scenario || !attributes.request)
    return fail(commentPlace, `question ${id}: a predict question names its scenario=… and request=…`);
  const decided = answerPart.find((node) => node.type === 'paragraph' && /^decided by:/i.test(textOf(node)));
  if (!decided)
    return fail(placeOf(list), `question ${id}: add a "Decided by:" paragraph after the decisions (Sids in \`code\`, or "no statement")`);
  const decidedBy =
    'children' in decided
      ? decided.children.filter((child) => child.type === 'inlineCode').map((child) => child.value)
      : [];
  if (decidedBy.length === 0 && !/no statement/i.test(textOf(decided)))
    return fail(placeOf(decided), `question ${id}: "Decided by:" names statements in \`code\`, or says "no statement"`);
  return {
    ...base,
    type: 'predict',
    scenario: attributes.scenario,
    requestId: attributes.request,
    options,
    decision: checked[0]!.text as Decision,
    decidedBy,
  };
}

function readFix({ base, attributes, commentPlace, answerPart, fail, problems }: AnswerPartContext): Question | undefined {
  const { id } = base;
  if (!attributes.scenario || !attributes.policy)
    return fail(commentPlace, `question ${id}: a fix question names its scenario=… and policy=…`);
  const code = (meta: string) =>
    answerPart.find((node): node is Code => node.type === 'code' && node.lang === 'json' && node.meta?.trim() === meta);
  const solution = code('solution');
  const starter = code('starter');
  const table = answerPart.find((node): node is Table => node.type === 'table');
  if (!solution) return fail(base.place, `question ${id}: a fix question needs a \`\`\`json solution block`);
  if (!table) return fail(base.place, `question ${id}: a fix question needs a table of requests and expected decisions`);
  const cases = readCases(table, id, problems);
  if (cases.length === 0) return fail(placeOf(table), `question ${id}: the table lists no request`);
  return {
    ...base,
    type: 'fix',
    scenario: attributes.scenario,
    policyId: attributes.policy,
    ...(starter ? { starter: starter.value, starterPlace: placeOf(starter) } : {}),
    solution: solution.value,
    solutionPlace: placeOf(solution),
    cases,
  };
}

/** The table's columns: Request, Expected and Hidden (any order; Hidden optional, "yes" hides a case). */
function readCases(table: Table, id: string, problems: QuestionProblem[]): FixCase[] {
  const [header, ...rows] = table.children;
  const names = (header?.children ?? []).map((cell) => textOf(cell).trim().toLowerCase());
  const column = (name: string) => names.indexOf(name);
  const [request, expected, hidden] = [column('request'), column('expected'), column('hidden')];
  if (request < 0 || expected < 0) {
    problems.push({ ...placeOf(table), message: `question ${id}: the table needs "Request" and "Expected" columns` });
    return [];
  }
  const cases: FixCase[] = [];
  for (const row of rows) {
    const cell = (index: number) => (index < 0 ? '' : textOf(row.children[index] ?? { type: 'text', value: '' }).trim());
    const decision = cell(expected) as Decision;
    if (!DECISIONS.includes(decision)) {
      problems.push({
        ...placeOf(row),
        message: `question ${id}: expected decision "${decision}" is not one of ${DECISIONS.join(', ')}`,
      });
      continue;
    }
    cases.push({
      requestId: cell(request),
      expected: decision,
      hidden: /^(yes|hidden)$/i.test(cell(hidden)),
      place: placeOf(row),
    });
  }
  return cases;
}

/** Records a problem and gives `undefined`, the result of a question that could not be read. */
const failInto =
  (problems: QuestionProblem[]) =>
  (at: Place, message: string): undefined => {
    problems.push({ ...at, message });
    return undefined;
  };

interface AnswerPartContext {
  base: QuestionBaseFields;
  attributes: QuestionAttributes;
  commentPlace: Place;
  answerPart: RootContent[];
  fail: (at: Place, message: string) => undefined;
  problems: QuestionProblem[];
}

type QuestionBaseFields = Pick<Question, 'id' | 'title' | 'promptHtml' | 'hintsHtml' | 'explanationHtml' | 'place'>;

function readOptions(list: List): QuestionOption[] {
  return list.children.map((item: ListItem, index) => {
    const feedback = item.children.filter((child) => child.type === 'blockquote');
    const content = item.children.filter((child) => child.type !== 'blockquote');
    const phrasing = content.length === 1 && content[0]!.type === 'paragraph' ? content[0]!.children : content;
    return {
      id: String.fromCharCode(97 + index),
      text: content.map(textOf).join(' ').trim(),
      html: renderHtml(phrasing as RootContent[]),
      correct: item.checked === true,
      ...(feedback.length > 0 ? { feedbackHtml: renderHtml(feedback.flatMap((quote) => quote.children)) } : {}),
      place: placeOf(item),
    };
  });
}

function isTaskList(node: RootContent): node is List {
  return node.type === 'list' && node.children.length > 0 && node.children.every((item) => item.checked !== null && item.checked !== undefined);
}

function isAnswerPart(type: QuestionType, node: RootContent, later = false): boolean {
  switch (type) {
    case 'ordering':
      return node.type === 'list' && node.ordered === true;
    case 'predict':
      return later ? node.type === 'paragraph' && /^decided by:/i.test(textOf(node)) : isTaskList(node);
    case 'fix':
      return node.type === 'table' || (node.type === 'code' && node.lang === 'json' && /^(starter|solution)$/.test(node.meta?.trim() ?? ''));
    default:
      return isTaskList(node);
  }
}

function answerPartName(type: QuestionType): string {
  if (type === 'ordering') return 'ordered list of steps';
  if (type === 'fix') return 'table of requests and ```json solution block';
  return 'task list of options (- [x] / - [ ])';
}

function isHint(node: RootContent): boolean {
  return node.type === 'blockquote' && /^hint:/i.test(textOf(node).trim());
}

/** `> **Hint:** text` → the blockquote without its label. */
function stripHintLabel(quote: Blockquote): Blockquote {
  const [first, ...others] = quote.children;
  if (first?.type !== 'paragraph') return quote;
  const children = [...first.children];
  const head = children[0];
  if (head && 'children' in head && /^hint:?$/i.test(textOf(head).trim())) children.shift();
  else if (head?.type === 'text') children[0] = { ...head, value: head.value.replace(/^hint:\s*/i, '') };
  if (children[0]?.type === 'text') children[0] = { ...children[0], value: children[0].value.replace(/^[:\s]+/, '') };
  return { ...quote, children: [{ ...first, children }, ...others] };
}

/** `</details>` and friends: markup that closes what the answer part opened, not explanation. */
function isClosingHtml(node: RootContent): boolean {
  return node.type === 'html' && /^<\/?(details|summary)[\s>]/i.test(node.value.trim());
}
