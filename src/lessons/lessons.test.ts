import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkLessons,
  formatProblem,
  gradeChoice,
  gradeFix,
  gradeOrdering,
  gradePredict,
  gradeShortAnswer,
  parseGlossary,
  parseLesson,
  quizScore,
  runPredict,
  starterText,
  type ChoiceQuestion,
  type FixQuestion,
  type OrderingQuestion,
  type PredictQuestion,
  type Question,
  type ShortAnswerQuestion,
} from './index';
import { loadScenario } from '../scenario/load';
import type { Scenario } from '../engine/index';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const SAMPLE = readFileSync(path.join(fixtures, 'sample.md'), 'utf8');
const APP = readFileSync(path.join(fixtures, 'app.json'), 'utf8');
const GLOSSARY = '# Glossary\n\n## Key policy\n\nThe policy attached to a key.\n\n## Grant\n\nA delegation.\n';

function sample(text = SAMPLE) {
  const parsed = parseLesson('sample.md', text);
  if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
  return parsed.value;
}
function question<T extends Question>(id: string, text?: string): T {
  return sample(text).questions.find((q) => q.id === id) as T;
}
function check(text = SAMPLE, scenario = APP) {
  return checkLessons({
    lessons: [{ file: 'sample.md', text }],
    glossary: { file: 'glossary.md', text: GLOSSARY },
    scenarios: { app: { file: 'scenarios/app.json', text: scenario } },
  }).problems.map(formatProblem);
}
const appScenario = (): Scenario => {
  const loaded = loadScenario(APP);
  if (!loaded.ok) throw new Error('fixture');
  return loaded.scenario;
};

describe('parseLesson', () => {
  it('reads the front matter, prose, scenario embeds and glossary links', () => {
    const lesson = sample();
    expect(lesson).toMatchObject({ id: 'sample', order: 1, minutes: 5, objectives: ['Try every question type'] });
    expect(lesson.blocks[1]).toEqual({ kind: 'scenario', scenario: 'app', label: 'Open the app scenario in the lab', place: { line: 14, column: 1 } });
    expect(lesson.glossaryLinks).toEqual([{ anchor: 'key-policy', place: { line: 12, column: 19 } }]);
    expect(lesson.blocks[0]).toMatchObject({ kind: 'prose', html: expect.stringContaining('data-glossary="key-policy"') });
    expect(lesson.blocks[0]).toMatchObject({ html: expect.not.stringContaining('<h1>') });
    expect(lesson.questions.map((q) => q.type)).toEqual(['single', 'multiple', 'true-false', 'short', 'ordering', 'predict', 'fix']);
  });

  it('single choice: options in written order, the checked one correct, feedback, hints one by one, explanation', () => {
    const q = question<ChoiceQuestion>('s-single');
    expect(q.options.map((o) => [o.id, o.text, o.correct])).toEqual([['a', 'IAM policies', false], ['b', 'The key policy', true], ['c', 'SCPs', false]]);
    expect(q.options[0]!.feedbackHtml).toBe('<p>Not on their own.</p>');
    expect(q.hintsHtml).toEqual(['<p>It is attached to the key.</p>', '<p>Its name has "key" in it.</p>']);
    expect(q.promptHtml).toBe('<p>Pick one.</p>');
    expect(q.explanationHtml).toBe('<p>Every KMS request is checked against the key policy.</p>');
    expect(q.place).toEqual({ line: 18, column: 1 });
  });

  it('ordering keeps the written order as the answer; predict reads the decision and the deciding Sids', () => {
    expect(question<OrderingQuestion>('s-order').items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(question<PredictQuestion>('s-predict')).toMatchObject({ scenario: 'app', requestId: 'app-decrypt', decision: 'Allow', decidedBy: ['AppUse'] });
  });

  it('fix reads the matrix (hidden cases), the solution and its place', () => {
    const q = question<FixQuestion>('s-fix');
    expect(q.cases.map((c) => [c.requestId, c.expected, c.hidden])).toEqual([['app-encrypt', 'Allow', false], ['other-decrypt', 'ImplicitDeny', true]]);
    expect(q.solution).toContain('"kms:Encrypt"');
    expect(q.starter).toBeUndefined();
    expect(q.explanationHtml).toContain('Adding <code>kms:Encrypt</code>');
  });

  it.each([
    ['no front matter', (t: string) => t.replace(/^---[\s\S]*?---\n/, ''), /^sample\.md:1:1: a lesson starts with YAML front matter/],
    ['a bad front matter field', (t: string) => t.replace('minutes: 5', 'minutes: five'), /^sample\.md:5:10: front matter: "minutes" must be a positive whole number/],
    ['an unknown field', (t: string) => t.replace('order: 1', 'order: 1\nauthor: me'), /^sample\.md:5:1: front matter: unknown field "author"/],
    ['broken YAML', (t: string) => t.replace('title: A sample lesson', 'title: [oops'), /^sample\.md:\d+:\d+: front matter:/],
    ['an unknown type', (t: string) => t.replace('type=single', 'type=essay'), /^sample\.md:19:1: question s-single: "type" must be one of/],
    ['two checked single-choice options', (t: string) => t.replace('- [ ] SCPs', '- [x] SCPs'), /^sample\.md:23:1: question s-single: a single-choice question needs/],
    ['no explanation', (t: string) => t.replace('Both are layers; CloudWatch is not.\n', ''), /^sample\.md:34:1: question s-multi: no explanation/],
    ['true/false with other options', (t: string) => t.replace('- [ ] False', '- [ ] Maybe'), /question s-tf: a true\/false question lists "True" and "False"/],
    ['a predict without "Decided by"', (t: string) => t.replace('Decided by: `AppUse`', ''), /question s-predict: add a "Decided by:" paragraph/],
    ['a fix without solution', (t: string) => t.replace('```json solution', '```json'), /question s-fix: a fix question needs a ```json solution block/],
    ['a bad expected decision', (t: string) => t.replace('| ImplicitDeny | yes |', '| Denied | yes |'), /^sample\.md:\d+:1: question s-fix: expected decision "Denied"/],
    ['a comment away from its heading', (t: string) => t.replace('### Which are policy layers?\n', 'Which are policy layers?\n\n'), /a question comment must come right after its heading/],
  ])('reports %s with file:line:column', (_name, edit, message) => {
    const parsed = parseLesson('sample.md', edit(SAMPLE));
    expect(parsed.problems.map(formatProblem)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });
});

describe('grading', () => {
  it('choice: right only with every right option and no wrong one, with the picked options for feedback', () => {
    const multi = question<ChoiceQuestion>('s-multi');
    expect(gradeChoice(multi, ['a', 'b']).correct).toBe(true);
    expect(gradeChoice(multi, ['a']).correct).toBe(false);
    expect(gradeChoice(multi, ['a']).missed.map((o) => o.id)).toEqual(['b']);
    expect(gradeChoice(multi, ['a', 'b', 'c']).correct).toBe(false);
    expect(gradeChoice(multi, []).correct).toBe(false);
    const single = question<ChoiceQuestion>('s-single');
    expect(gradeChoice(single, ['a']).picked[0]!.feedbackHtml).toBe('<p>Not on their own.</p>');
  });

  it('short answer: accepted alternatives, case and punctuation ignored, known wrong answers give feedback', () => {
    const q = question<ShortAnswerQuestion>('s-short');
    expect(gradeShortAnswer(q, '  aws   cloudtrail. ').correct).toBe(true);
    expect(gradeShortAnswer(q, '"CloudTrail"').correct).toBe(true);
    const wrong = gradeShortAnswer(q, 'AWS Config');
    expect(wrong.correct).toBe(false);
    expect(wrong.matched?.feedbackHtml).toContain('resource configurations');
    expect(gradeShortAnswer(q, 'CloudWatch')).toEqual({ correct: false });
  });

  it('ordering: each position checked', () => {
    const q = question<OrderingQuestion>('s-order');
    expect(gradeOrdering(q, ['a', 'b', 'c']).correct).toBe(true);
    expect(gradeOrdering(q, ['b', 'a', 'c'])).toEqual({ correct: false, inPlace: [false, false, true] });
  });

  it('predict: the decision and the deciding statement both count, against the engine', () => {
    const q = question<PredictQuestion>('s-predict');
    const run = runPredict(appScenario(), q);
    if (!run.ok) throw new Error(run.message);
    expect(run.result.decision).toBe('Allow');
    expect(run.decidedBy).toEqual(['AppUse']);
    expect(gradePredict(q, { decision: 'Allow', statement: 'AppUse' }, run.decidedBy, run.result.decision).correct).toBe(true);
    expect(gradePredict(q, { decision: 'Allow', statement: null }, run.decidedBy)).toMatchObject({ correct: false, decisionCorrect: true, statementCorrect: false });
    expect(gradePredict(q, { decision: 'ImplicitDeny', statement: null }).feedbackHtml).toContain('second statement');
  });

  it('fix: the engine grades the learner policy case by case, with the trace of each', () => {
    const q = question<FixQuestion>('s-fix');
    const scenario = appScenario();
    const starter = gradeFix(scenario, q, starterText(scenario, q));
    expect(starter).toMatchObject({ ok: true, passed: false });
    if (!starter.ok) return;
    expect(starter.cases.map((c) => [c.requestId, c.actual, c.pass])).toEqual([['app-encrypt', 'ImplicitDeny', false], ['other-decrypt', 'ImplicitDeny', true]]);
    expect(starter.cases[0]!.result.steps.length).toBeGreaterThan(0);
    expect(gradeFix(scenario, q, q.solution)).toMatchObject({ ok: true, passed: true });
    const tooOpen = q.solution.replace('"arn:aws:iam::111122223333:role/App"', '"*"');
    expect(gradeFix(scenario, q, tooOpen)).toMatchObject({ ok: true, passed: false });
    expect(gradeFix(scenario, q, '{ "Statement": [')).toMatchObject({ ok: false, message: expect.stringMatching(/not JSON yet/) });
  });

  it('quiz score', () => {
    expect(quizScore([true, false, true])).toEqual({ right: 2, total: 3, percent: 67 });
    expect(quizScore([])).toEqual({ right: 0, total: 0, percent: 0 });
  });
});

describe('checkLessons', () => {
  it('accepts the sample', () => {
    expect(check()).toEqual([]);
  });

  it('proves predict answers against the engine', () => {
    expect(check(SAMPLE.replace('- [x] Allow\n- [ ] ExplicitDeny\n- [ ] ImplicitDeny', '- [ ] Allow\n- [ ] ExplicitDeny\n- [x] ImplicitDeny'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^sample\.md:\d+:1: question s-predict: the engine decides Allow, the lesson says ImplicitDeny/)]),
    );
    expect(check(SAMPLE.replace('Decided by: `AppUse`', 'Decided by: `Other`'))).toEqual([
      expect.stringMatching(/question s-predict: decided by AppUse according to the engine, the lesson says Other/),
    ]);
    expect(check(SAMPLE.replace('request=app-decrypt', 'request=nope'))).toEqual([expect.stringMatching(/has no request "nope"/)]);
  });

  it('proves fix exercises: the solution passes its matrix and the starter fails it', () => {
    expect(check(SAMPLE.replace('["kms:Decrypt", "kms:Encrypt"]', '"kms:Decrypt"'))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/sample\.md:\d+:1: question s-fix: the solution gets ImplicitDeny for app-encrypt, expected Allow/),
      ]),
    );
    const solution = question<FixQuestion>('s-fix').solution;
    expect(check(SAMPLE.replace('<details>', '```json starter\n' + solution + '\n```\n\n<details>'))).toEqual([
      expect.stringMatching(/^sample\.md:\d+:1: question s-fix: the starter policy already passes every case/),
    ]);
    expect(check(SAMPLE.replace('| yes |', '| |'))).toEqual([expect.stringMatching(/mark at least one case hidden/)]);
  });

  it('checks glossary links, scenario references, duplicate ids and invalid scenarios', () => {
    expect(check(SAMPLE.replace('glossary.md#key-policy', 'glossary.md#kee-policy'))).toEqual(['sample.md:12:19: glossary.md has no entry "#kee-policy"']);
    expect(check(SAMPLE.replace('(scenarios/app.json)', '(scenarios/nope.json)'))).toEqual(['sample.md:14:1: no scenario scenarios/nope.json']);
    expect(check(SAMPLE.replace('id=s-multi', 'id=s-single'))).toEqual([expect.stringMatching(/^sample\.md:34:1: question id "s-single" is also used in sample\.md/)]);
    expect(check(SAMPLE, APP.replace('"version": 2', '"version": 99'))).toEqual([
      expect.stringMatching(/^scenarios\/app\.json:2:\d+: /),
    ]);
    const twice = checkLessons({
      lessons: [{ file: 'a.md', text: SAMPLE }, { file: 'b.md', text: SAMPLE.replace(/id=s-/g, 'id=t-') }],
      glossary: { file: 'glossary.md', text: GLOSSARY },
      scenarios: { app: { file: 'scenarios/app.json', text: APP } },
    }).problems.map(formatProblem);
    expect(twice).toEqual(['b.md:2:5: lesson id "sample" is also used by a.md', 'b.md:4:8: order 1 is also used by a.md']);
  });

  it('reports prerequisite problems at the prerequisite in the front matter', () => {
    const flow = SAMPLE.replace('minutes: 5\n', 'minutes: 5\nprerequisites: [nope]\n');
    expect(check(flow)).toEqual(['sample.md:6:17: prerequisite "nope" is not a lesson id']);
    const block = SAMPLE.replace('minutes: 5\n', 'minutes: 5\nprerequisites:\n  - sample\n  - gone\n');
    expect(check(block)).toEqual([
      'sample.md:7:5: prerequisite "sample" comes later in the path (order 1)',
      'sample.md:8:5: prerequisite "gone" is not a lesson id',
    ]);
  });
});

describe('parseGlossary', () => {
  it('reads one entry per ## heading with GitHub anchors', () => {
    const { entries, problems } = parseGlossary('glossary.md', GLOSSARY + '\n## Grant\n\nAgain.\n\n## Empty\n');
    expect(entries.map((e) => e.anchor)).toEqual(['key-policy', 'grant', 'grant', 'empty']);
    expect(entries[0]!.definitionHtml).toBe('<p>The policy attached to a key.</p>');
    expect(problems.map(formatProblem)).toEqual(['glossary.md:11:1: glossary: "Grant" is defined twice', 'glossary.md:15:1: glossary: "Empty" has no definition']);
  });
});
