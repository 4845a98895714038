import { describe, expect, it } from 'vitest';
import { lintPolicy } from './index';

const withCondition = (operator: string, value: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { [operator]: { 'kms:EncryptionContextKeys': value } },
      },
    ],
  });

describe('set operators on Null (the lab reads them by the set operator rules, docs/engine.md)', () => {
  it.each([
    ['ForAllValues:Null', 'false', /always matches/],
    ['ForAnyValue:Null', 'true', /never matches/],
    ['ForAllValues:Null', 'true', /same as Null with "true"/],
    ['ForAnyValue:Null', 'false', /same as Null with "false"/],
  ])('%s "%s" says what it does', (operator, value, words) => {
    const findings = lintPolicy(withCondition(operator, value), 'identity').filter(
      (f) => f.code === 'NULL_WITH_SET_OPERATOR',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(words);
    expect(findings[0].message).toContain(operator.split(':')[0]);
  });

  it('is not an unknown operator any more', () => {
    const codes = lintPolicy(withCondition('ForAnyValue:Null', 'false'), 'identity').map((f) => f.code);
    expect(codes).not.toContain('INVALID_CONDITION_OPERATOR');
  });
});
