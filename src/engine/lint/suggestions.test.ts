/**
 * Every misspelt name in a policy gets the nearest valid one (issue 8, "nothing the user wrote is silently
 * ignored"): elements (IAM grammar, reference_policies_grammar.html), principal types (IAM-PR), condition
 * operators (IAM-OPS) and condition keys (CK, CA; key names are case-insensitive).
 */
import { describe, expect, it } from 'vitest';
import { lintPolicy } from './index';
import { nearestConditionKey, nearestOperator } from './condition-names';

const keyPolicy = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);
const base = {
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: 'kms:*',
  Resource: '*',
};

function finding(text: string, code: string) {
  const found = lintPolicy(text, 'key').find((f) => f.code === code);
  expect(found, `${code} in ${text}`).toBeDefined();
  return found!;
}

describe('misspelt names in policies', () => {
  it.each([
    ['Efect', 'Effect'],
    ['Condtion', 'Condition'],
    ['Resources', 'Resource'],
    ['Principle', 'Principal'],
  ])('names the nearest element for "%s" at the key', (wrong, right) => {
    const { [right]: value, ...rest } = { ...base, Condition: {} } as Record<string, unknown>;
    const text = keyPolicy({ ...rest, [wrong]: value ?? {} });
    const f = finding(text, 'INVALID_POLICY_ELEMENT');
    expect(f.message).toContain(`Did you mean "${right}"?`);
    expect(f.path).toEqual(['Statement', 0, wrong]);
    expect(text.split('\n')[f.range.start.line - 1].slice(f.range.start.column - 1)).toMatch(
      new RegExp(`^"${wrong}"`),
    );
  });

  it('names the nearest top-level element', () => {
    const text = JSON.stringify({ Verison: '2012-10-17', Statement: [base] });
    expect(finding(text, 'INVALID_POLICY_ELEMENT').message).toContain('Did you mean "Version"?');
  });

  it('names the nearest principal type', () => {
    const text = keyPolicy({ ...base, Principal: { Aws: '111122223333' } });
    expect(finding(text, 'INVALID_PRINCIPAL_KEY').message).toContain('Did you mean "AWS"?');
  });

  it('names the nearest operator, keeping a set prefix', () => {
    const cond = (operator: string) =>
      keyPolicy({ ...base, Condition: { [operator]: { 'kms:CallerAccount': '111122223333' } } });
    expect(finding(cond('StringEqual'), 'INVALID_CONDITION_OPERATOR').message).toContain(
      'Did you mean StringEquals?',
    );
    expect(finding(cond('ForAnyValues:StringLike'), 'INVALID_CONDITION_OPERATOR').message).toContain(
      'Did you mean ForAnyValue:StringLike?',
    );
    expect(finding(cond('StringEqualsIfExist'), 'INVALID_CONDITION_OPERATOR').message).toContain(
      'Did you mean StringEqualsIfExists?',
    );
  });

  it.each([
    ['kms:EncryptionContxt:dept', 'INVALID_SERVICE_CONDITION_KEY', 'kms:EncryptionContext:dept'],
    ['aws:PrincipleArn', 'INVALID_GLOBAL_CONDITION_KEY', 'aws:PrincipalArn'],
    ['aws:PrincipalTg/team', 'INVALID_GLOBAL_CONDITION_KEY', 'aws:PrincipalTag/team'],
    ['kms:CallerAcount', 'INVALID_SERVICE_CONDITION_KEY', 'kms:CallerAccount'],
  ])('names the nearest condition key for %s', (key, code, suggestion) => {
    const text = keyPolicy({ ...base, Condition: { StringEquals: { [key]: 'x' } } });
    const f = finding(text, code);
    expect(f.message).toContain(`Did you mean ${suggestion}?`);
    expect(f.path).toEqual(['Statement', 0, 'Condition', 'StringEquals', key]);
  });

  it('accepts condition keys in another case and keeps prefixed keys working', () => {
    const text = keyPolicy({
      ...base,
      Condition: {
        StringEquals: {
          'aws:PrincipalARN': 'arn:aws:iam::111122223333:root',
          'kms:EncryptionContext:dept': 'x',
        },
        StringLike: { 'aws:PrincipalTag/team': 'a*' },
      },
    });
    const codes = lintPolicy(text, 'key').map((f) => f.code);
    expect(codes).not.toContain('INVALID_GLOBAL_CONDITION_KEY');
    expect(codes).not.toContain('INVALID_SERVICE_CONDITION_KEY');
  });

  it('suggests nothing for a name far from every key or operator', () => {
    expect(nearestConditionKey('s3:prefix')).toBeUndefined();
    expect(nearestOperator('Whatever')).toBeUndefined();
  });
});
