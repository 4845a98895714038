import { describe, expect, it } from 'vitest';
import { DisplayVersions } from './lab-display';
import { LintCache, runEvaluation, type EvalInput } from './lab-eval-core';
import { flippedCells } from './lab-matrix';
import { listPolicySlots, textsFromScenario } from './lab-policies';
import { STARTER_SCENARIO } from './lab-store';

const KEY = Object.keys(STARTER_SCENARIO.keys ?? {})[0];
const ROLE = Object.keys(STARTER_SCENARIO.principals ?? {})[0];

function input(overrides: Partial<EvalInput> = {}): EvalInput {
  const texts = textsFromScenario(STARTER_SCENARIO);
  const lint: EvalInput['lint'] = {};
  for (const slot of listPolicySlots(STARTER_SCENARIO))
    lint[slot.id] = { text: texts[slot.id], type: slot.type };
  return { seq: 1, scenario: STARTER_SCENARIO, sources: texts, lint, requestId: 'app-decrypt', ...overrides };
}

describe('runEvaluation (the worker body)', () => {
  it('returns the full result of the selected request and summaries of all', () => {
    const output = runEvaluation(input(), new LintCache(), new DisplayVersions());
    expect(output.seq).toBe(1);
    expect(output.error).toBeUndefined();
    expect(output.result?.id).toBe('app-decrypt');
    expect(output.result?.steps.length).toBeGreaterThan(0);
    expect(output.summaries.map((s) => [s.id, s.decision, s.pass])).toEqual([
      ['app-decrypt', 'Allow', true],
      ['app-encrypt', 'ImplicitDeny', true],
    ]);
    expect(Object.keys(output.findings).sort()).toEqual(
      listPolicySlots(STARTER_SCENARIO)
        .map((s) => s.id)
        .sort(),
    );
  });

  it('lints invalid text into an error finding with a range, and caches lint results', () => {
    const cache = new LintCache();
    const broken = input();
    broken.lint[`key:${KEY}`] = { text: '{ "Version": ', type: 'key' };
    const output = runEvaluation(broken, cache, new DisplayVersions());
    const findings = output.findings[`key:${KEY}`];
    expect(findings.some((f) => f.type === 'ERROR')).toBe(true);
    expect(findings[0].range.start.line).toBeGreaterThanOrEqual(1);
    expect(runEvaluation(broken, cache, new DisplayVersions()).findings[`key:${KEY}`]).toBe(findings);
  });

  it('builds the matrix of the key and the flips of a key-state what-if', () => {
    const output = runEvaluation(
      input({ matrix: { keyArn: KEY, whatIf: { kind: 'key-state', keyArn: KEY, state: 'Disabled' } } }),
      new LintCache(),
      new DisplayVersions(),
    );
    expect(output.matrix?.principals).toContain(ROLE);
    expect(output.matrix?.actions).toContain('kms:Decrypt');
    const flips = flippedCells(output.matrix!, output.whatIf!.matrix!);
    expect(
      flips.some((f) => f.principal === ROLE && f.action === 'kms:Decrypt' && f.after.text === 'Disabled'),
    ).toBe(true);
    expect(output.whatIf?.result?.outcome).toBe('DisabledException');
  });

  it('a principal what-if lines the other caller up with the original row', () => {
    const other = 'arn:aws:iam::444455556666:role/Outsider';
    const output = runEvaluation(
      input({ matrix: { keyArn: KEY, whatIf: { kind: 'principal', from: ROLE, to: other } } }),
      new LintCache(),
      new DisplayVersions(),
    );
    expect(output.whatIf?.matrix?.principals).toContain(ROLE);
    const flips = flippedCells(output.matrix!, output.whatIf!.matrix!);
    expect(flips.find((f) => f.action === 'kms:Decrypt')?.after.text).toBe('Implicit');
    expect(output.whatIf?.result?.decision).toBe('ImplicitDeny');
  });

  it('diffs against a saved scenario', () => {
    const before = { ...STARTER_SCENARIO, principals: { [ROLE]: { policies: [] } } };
    const output = runEvaluation(input({ compareWith: before }), new LintCache(), new DisplayVersions());
    expect(
      output.diff?.changes.some((c) => c.requestId === 'app-decrypt' || c.action === 'kms:Decrypt'),
    ).toBe(true);
  });
});
