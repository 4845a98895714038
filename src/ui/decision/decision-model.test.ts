import { describe, expect, it } from 'vitest';
import type { ConditionMatch, StatementMatch } from '../../engine/types';
import {
  allowedByText,
  comparisons,
  deniedByText,
  describeCondition,
  formatValues,
  groupByLayer,
  sameStatement,
  statementSignature,
  statementSignatures,
  statementStatus,
  verdictAnnouncement,
  whyNotMatched,
} from './decision-model';
import {
  allowedViaKeyPolicyAndIam,
  explicitDenyByScp,
  implicitDenyNoKeyPolicyStatement,
} from '../flow/fixtures';

describe('formatValues', () => {
  it('says absent for a missing key and quotes present values', () => {
    expect(formatValues(null)).toBe('absent');
    expect(formatValues([])).toBe('empty (no values)');
    expect(formatValues(['finance', 'hr'])).toBe('"finance", "hr"');
    expect(formatValues(['a', null])).toBe('"a", unresolved variable');
  });
});

describe('describeCondition', () => {
  it('shows operator, key, policy values and the absent request value', () => {
    const condition: ConditionMatch = {
      operator: 'StringNotEquals',
      key: 'aws:SourceVpce',
      policyValues: ['vpce-1'],
      requestValues: null,
      matched: true,
      reason: 'absent key with a negated operator is true',
    };
    expect(describeCondition(condition)).toEqual({
      subject: 'StringNotEquals aws:SourceVpce',
      matched: true,
      policy: '"vpce-1"',
      request: 'absent',
      reason: 'absent key with a negated operator is true',
    });
  });
});

describe('groupByLayer', () => {
  it('groups in layer order and sorts by statement index', () => {
    const groups = groupByLayer(allowedViaKeyPolicyAndIam.statements);
    expect(groups.map((g) => g.layer)).toEqual(['key', 'identity', 'scp']);
    expect(groups[0].statements.map((s) => s.ref.index)).toEqual([0, 1, 2]);
    expect(groups[0].title).toBe('Key policy');
  });

  it('lists a guardrail layer after the key policy', () => {
    const groups = groupByLayer(explicitDenyByScp.statements);
    expect(groups.map((g) => g.layer)).toEqual(['key', 'scp']);
  });

  it('returns no groups for no statements', () => {
    expect(groupByLayer([])).toEqual([]);
  });
});

describe('statement status and reasons', () => {
  it('tells deciding, applying and non-matching statements apart', () => {
    const [enableIam, admins, users] = allowedViaKeyPolicyAndIam.statements;
    expect(statementStatus(enableIam, allowedViaKeyPolicyAndIam)).toBe('deciding');
    expect(statementStatus(admins, allowedViaKeyPolicyAndIam)).toBe('no-match');
    expect(statementStatus(users, allowedViaKeyPolicyAndIam)).toBe('no-match');
    const scp = allowedViaKeyPolicyAndIam.statements.find((s) => s.ref.layer === 'scp')!;
    expect(statementStatus(scp, allowedViaKeyPolicyAndIam)).toBe('applies');
  });

  it('names the first comparison that failed', () => {
    const users = implicitDenyNoKeyPolicyStatement.statements.find(
      (s) => s.ref.sid === 'Allow use of the key',
    )!;
    expect(whyNotMatched(users)).toMatch(/^Principal does not match: .*bob/);
    const admins = implicitDenyNoKeyPolicyStatement.statements.find((s) => s.ref.index === 1)!;
    expect(whyNotMatched(admins)).toMatch(/^Action does not match/);
    expect(whyNotMatched(allowedViaKeyPolicyAndIam.statements[0])).toBeNull();
  });

  it('lists action, principal, resource, then conditions', () => {
    const users = allowedViaKeyPolicyAndIam.statements[2];
    const rows = comparisons(users);
    expect(rows.map((r) => r.subject)).toEqual([
      'Action',
      'Principal',
      'Resource',
      'StringEquals kms:EncryptionContext:dept',
    ]);
    expect(rows[3]).toMatchObject({ matched: false, policy: '"finance"', request: '"payroll"' });
  });

  it('flags a key-policy statement without Resource', () => {
    const base = allowedViaKeyPolicyAndIam.statements[0];
    const noResource: StatementMatch = { ...base, resource: null, applies: false };
    const rows = comparisons(noResource);
    expect(rows.find((r) => r.subject === 'Resource')).toMatchObject({ matched: false, policy: 'none' });
  });

  it('compares statements by policy and index', () => {
    const a = allowedViaKeyPolicyAndIam.statements[0].ref;
    expect(sameStatement(a, { ...a, label: 'other label' })).toBe(true);
    expect(sameStatement(a, { ...a, index: 1 })).toBe(false);
    expect(sameStatement(a, null)).toBe(false);
  });
});

describe('allowed by / denied by', () => {
  it('words the allow path and the denying statement', () => {
    expect(allowedByText(allowedViaKeyPolicyAndIam)).toBe('the key policy together with IAM policies');
    expect(allowedByText(explicitDenyByScp)).toBeNull();
    expect(deniedByText(explicitDenyByScp)).toBe(
      'SCP #1 "DenyDecryptOutsideVpc" (Service control policies (SCPs))',
    );
    expect(deniedByText({ ...explicitDenyByScp, deniedBy: { layer: 'rcp' } })).toBe(
      'Resource control policies (RCPs): no statement allows',
    );
  });
});

describe('statementSignature', () => {
  const copy = <T>(value: T): T => structuredClone(value);
  const conditioned = explicitDenyByScp.statements.find((s) => s.conditions.length > 0)!;

  it('is equal for a copy, as a result from the worker is, and ignores source ranges', () => {
    const moved = copy(conditioned);
    moved.ref.range = {
      start: { line: 40, column: 1, offset: 900 },
      end: { line: 52, column: 2, offset: 1200 },
    };
    moved.conditions[0].range = moved.ref.range;
    expect(statementSignature(moved)).toBe(statementSignature(conditioned));
  });

  it('changes with anything the card draws', () => {
    const before = statementSignature(conditioned);
    const renamed = copy(conditioned);
    renamed.ref.label += 'x';
    const otherReason = copy(conditioned);
    otherReason.conditions[0].reason += '.';
    const nowPresent = copy(conditioned);
    nowPresent.conditions[0].requestValues = ['absent'];
    const absentAgain = copy(conditioned);
    absentAgain.conditions[0].requestValues = null;
    const otherAction = copy(conditioned);
    otherAction.action.requestValue = 'kms:Encrypt';
    for (const changed of [renamed, otherReason, nowPresent, otherAction]) {
      expect(statementSignature(changed)).not.toBe(before);
    }
    // The literal value "absent" is not the absent key.
    expect(statementSignature(nowPresent)).not.toBe(statementSignature(absentAgain));
  });

  it('is computed once per result, one per statement', () => {
    const signatures = statementSignatures(implicitDenyNoKeyPolicyStatement);
    expect(statementSignatures(implicitDenyNoKeyPolicyStatement)).toBe(signatures);
    expect(signatures.size).toBe(implicitDenyNoKeyPolicyStatement.statements.length);
    expect(new Set(signatures.values()).size).toBe(signatures.size);
  });
});

describe('verdictAnnouncement', () => {
  it('says the request and its verdict, with the exception when the call fails', () => {
    expect(verdictAnnouncement(explicitDenyByScp)).toBe(
      `Decision for ${explicitDenyByScp.id}: ExplicitDeny (a Deny statement matched), AccessDeniedException.`,
    );
    expect(verdictAnnouncement(allowedViaKeyPolicyAndIam)).toBe(
      `Decision for ${allowedViaKeyPolicyAndIam.id}: Allow (the request is authorized).`,
    );
    expect(verdictAnnouncement(null)).toBe('');
  });

  it('stays the same when an edit changes only the explanation and the statements', () => {
    const edited = { ...explicitDenyByScp, explanation: 'Another sentence.', statements: [] };
    expect(verdictAnnouncement(edited)).toBe(verdictAnnouncement(explicitDenyByScp));
  });

  it('changes with the verdict and with the request', () => {
    const before = verdictAnnouncement(explicitDenyByScp);
    expect(verdictAnnouncement({ ...explicitDenyByScp, decision: 'ImplicitDeny' })).not.toBe(before);
    expect(verdictAnnouncement({ ...explicitDenyByScp, id: 'other-request' })).not.toBe(before);
  });
});
