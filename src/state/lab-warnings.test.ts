/**
 * The lab shows what it reads past (issue 8): the scenario's warnings become warning markers of the scenario
 * editor, located in its text, and the scenario panel lists them with the policies' unknown names.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../engine/types';
import { DisplayVersions } from './lab-display';
import { LintCache, runEvaluation, type EvalInput } from './lab-eval-core';
import { listPolicySlots, textsFromScenario } from './lab-policies';
import { STARTER_SCENARIO } from './lab-store';
import {
  INVALID_SCENARIO,
  SCENARIO_EDITOR,
  UNKNOWN_FIELD,
  UNREAD_PARAMETER,
  labWarnings,
  scenarioErrorFindings,
  scenarioFindings,
} from './lab-warnings';
import { loadScenario } from '../scenario/load';
import type { Scenario } from '../scenario/types';

const KEY = Object.keys(STARTER_SCENARIO.keys ?? {})[0];

function input(scenario: Scenario, overrides: Partial<EvalInput> = {}): EvalInput {
  const texts = textsFromScenario(scenario);
  const lint: EvalInput['lint'] = {};
  for (const slot of listPolicySlots(scenario)) lint[slot.id] = { type: slot.type };
  return { seq: 1, scenario, sources: texts, lint, requestId: 'app-decrypt', ...overrides };
}

const withTypo = { ...STARTER_SCENARIO, titel: 'x' } as Scenario;

describe('scenario warnings in the lab', () => {
  it('marks an unknown field in the printed scenario, at its name', () => {
    const [finding, ...rest] = scenarioFindings(withTypo);
    expect(rest).toEqual([]);
    const printed = JSON.stringify(withTypo, null, 2);
    const line = printed.split('\n').findIndex((l) => l.includes('"titel"')) + 1;
    expect(finding).toMatchObject({ type: 'WARNING', code: UNKNOWN_FIELD, path: ['titel'] });
    expect(finding.range.start).toMatchObject({ line, column: 3 });
    expect(finding.message).toBe('$.titel: unknown field "titel" is ignored. Did you mean "title"?');
  });

  it('locates in the learner’s own text when given', () => {
    const text = '{"version": 1,\n "titel": "x"}';
    const [finding] = scenarioFindings({ version: 2, titel: 'x' } as Scenario, text);
    expect(finding.range.start).toMatchObject({ line: 2, column: 2 });
  });

  it('marks what keeps the learner’s text from loading at its value, and leaves JSON syntax to the editor', () => {
    const text = '{\n  "version": 2,\n  "description": 7\n}';
    const loaded = loadScenario(text);
    if (loaded.ok) throw new Error('expected a schema error');
    expect(loaded.syntax).toBeUndefined();
    const [finding, ...rest] = scenarioErrorFindings(text, loaded.errors);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ type: 'ERROR', code: INVALID_SCENARIO, path: ['description'] });
    expect(finding.range.start).toMatchObject({ line: 3, column: 18 });
    expect(finding.message).toMatch(/^\$\.description: must be a string/);
    const broken = loadScenario('{"version": 2,');
    expect(broken.ok || broken.syntax).toBe(true);
  });

  it('marks an unread request parameter', () => {
    const scenario: Scenario = {
      ...STARTER_SCENARIO,
      requests: [{ ...STARTER_SCENARIO.requests![0], action: 'kms:CreateGrant', parameters: { grant: {} } }],
    };
    expect(scenarioFindings(scenario).map((f) => [f.code, f.path])).toEqual([
      [UNREAD_PARAMETER, ['requests', 0, 'parameters', 'grant']],
    ]);
  });

  it('comes back from the worker under the scenario editor, and not at all when there is nothing to say', () => {
    const output = runEvaluation(input(withTypo), new LintCache(), new DisplayVersions());
    expect(output.findings[SCENARIO_EDITOR]?.map((f) => f.code)).toEqual([UNKNOWN_FIELD]);
    const clean = runEvaluation(input(STARTER_SCENARIO), new LintCache(), new DisplayVersions());
    expect(clean.findings).not.toHaveProperty(SCENARIO_EDITOR);
  });

  it('lists the scenario’s warnings first, then the policies’ unknown names, each with its editor', () => {
    const range = { start: { line: 3, column: 5, offset: 20 }, end: { line: 3, column: 9, offset: 24 } };
    const finding = (code: string, message: string): Finding => ({
      type: 'ERROR',
      code,
      message,
      learnMoreLink: '',
      path: [],
      range,
    });
    const items = labWarnings(
      {
        [SCENARIO_EDITOR]: scenarioFindings(withTypo),
        [`key:${KEY}`]: [
          finding('INVALID_POLICY_ELEMENT', '"Efect" is not a statement element. Did you mean "Effect"?'),
          finding('MISSING_EFFECT', 'no Effect'),
          finding('INVALID_GLOBAL_CONDITION_KEY', 'aws:PrincipleArn … Did you mean aws:PrincipalArn?'),
        ],
      },
      [{ id: `key:${KEY}`, label: 'Key policy' }],
    );
    expect(items.map((i) => [i.editor, i.where])).toEqual([
      [SCENARIO_EDITOR, 'Scenario JSON'],
      [`key:${KEY}`, 'Key policy'],
      [`key:${KEY}`, 'Key policy'],
    ]);
    expect(items[1].message).toContain('Did you mean "Effect"?');
    expect(items[1].range).toBe(range);
  });
});
