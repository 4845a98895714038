import { describe, expect, it } from 'vitest';
import type { AccessMatrix, Decision, MatrixCell, Outcome } from '../engine/types';
import type { Scenario } from '../scenario/types';
import {
  cellView,
  decisionView,
  describeWhatIf,
  flipKeys,
  flippedCells,
  isFlipped,
  relabelPrincipal,
  toneCounts,
  whatIfRequest,
  whatIfScenario,
} from './lab-matrix';

const A = 'arn:aws:iam::111122223333:role/A';
const B = 'arn:aws:iam::111122223333:role/B';

function matrix(
  decisions: [Decision, Outcome][][],
  principals = [A, B],
  actions = ['kms:Decrypt', 'kms:Encrypt'],
): AccessMatrix {
  return {
    keyArn: 'k',
    principals,
    actions,
    cells: decisions.map((row, r) =>
      row.map(([decision, outcome], c): MatrixCell => ({
        principal: principals[r],
        action: actions[c],
        decision,
        outcome,
        allowedBy: decision === 'Allow' ? 'key-policy' : null,
      })),
    ),
  };
}

describe('cell views', () => {
  it('always has text, and a tone for each kind of result', () => {
    expect(decisionView('Allow', 'Success')).toMatchObject({ tone: 'allow', text: 'Allow' });
    expect(decisionView('ExplicitDeny', 'AccessDeniedException')).toMatchObject({
      tone: 'deny',
      text: 'Deny',
    });
    expect(decisionView('ImplicitDeny', 'AccessDeniedException')).toMatchObject({
      tone: 'implicit',
      text: 'Implicit',
    });
    expect(decisionView('Allow', 'DisabledException')).toMatchObject({ tone: 'error', text: 'Disabled' });
    expect(decisionView('ImplicitDeny', 'NotFoundException')).toMatchObject({
      tone: 'error',
      text: 'Not found',
    });
    for (const outcome of [
      'Success',
      'KMSInvalidStateException',
      'UnsupportedOperationException',
    ] as Outcome[]) {
      expect(decisionView('Allow', outcome).text.length).toBeGreaterThan(0);
      expect(decisionView('Allow', outcome).description.length).toBeGreaterThan(0);
    }
  });
});

describe('flippedCells', () => {
  const before = matrix([
    [
      ['Allow', 'Success'],
      ['ImplicitDeny', 'AccessDeniedException'],
    ],
    [
      ['Allow', 'Success'],
      ['Allow', 'Success'],
    ],
  ]);

  it('finds exactly the cells whose decision or outcome changed', () => {
    const after = matrix([
      [
        ['Allow', 'Success'],
        ['Allow', 'Success'],
      ],
      [
        ['Allow', 'DisabledException'],
        ['Allow', 'Success'],
      ],
    ]);
    const flips = flippedCells(before, after);
    expect(flips.map((f) => [f.principal, f.action])).toEqual([
      [A, 'kms:Encrypt'],
      [B, 'kms:Decrypt'],
    ]);
    expect(flips[0].before.text).toBe('Implicit');
    expect(flips[0].after.text).toBe('Allow');
    const keys = flipKeys(flips);
    expect(isFlipped(keys, A, 'kms:Encrypt')).toBe(true);
    expect(isFlipped(keys, A, 'kms:Decrypt')).toBe(false);
  });

  it('finds nothing between equal matrices, and ignores cells that exist on one side only', () => {
    expect(flippedCells(before, before)).toEqual([]);
    const other = matrix([[['ExplicitDeny', 'AccessDeniedException']]], ['arn:other'], ['kms:Decrypt']);
    expect(flippedCells(before, other)).toEqual([]);
  });

  it('counts tones', () => {
    expect(toneCounts(before)).toEqual({ allow: 3, deny: 0, implicit: 1, error: 0 });
    expect(cellView(before.cells[0][1]).tone).toBe('implicit');
  });
});

describe('what-if', () => {
  const scenario: Scenario = { version: 2, keys: { k: { state: 'Enabled' } } };
  const request = { id: 'r', principal: A, action: 'kms:Decrypt', context: { x: 'y' } };

  it('changes the key state only for a key-state what-if', () => {
    expect(
      whatIfScenario(scenario, { kind: 'key-state', keyArn: 'k', state: 'Disabled' }).keys?.k.state,
    ).toBe('Disabled');
    expect(whatIfScenario(scenario, { kind: 'context', key: 'a', value: 'b' })).toBe(scenario);
  });

  it('applies a context value or another caller to the request', () => {
    expect(
      whatIfRequest(request, { kind: 'context', key: 'aws:SourceIp', value: '10.0.0.1' }).context,
    ).toEqual({ x: 'y', 'aws:SourceIp': '10.0.0.1' });
    expect(whatIfRequest(request, { kind: 'context', key: 'x', value: 'z' }).context).toEqual({ x: 'z' });
    expect(whatIfRequest(request, { kind: 'principal', from: A, to: B }).principal).toBe(B);
    expect(whatIfRequest(request, { kind: 'principal', from: B, to: A }).principal).toBe(A);
    expect(describeWhatIf({ kind: 'key-state', keyArn: 'k', state: 'Disabled' })).toMatch(/Disabled/);
  });

  it('relabels the substituted caller so its row lines up with the original', () => {
    const m = matrix(
      [
        [
          ['Allow', 'Success'],
          ['Allow', 'Success'],
        ],
      ],
      [B],
      ['kms:Decrypt', 'kms:Encrypt'],
    );
    const relabelled = relabelPrincipal(m, B, A);
    expect(relabelled.principals).toEqual([A]);
    expect(relabelled.cells[0].every((c) => c.principal === A)).toBe(true);
  });
});
