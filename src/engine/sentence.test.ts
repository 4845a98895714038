import { describe, expect, it } from 'vitest';
import { lowerFirst, upperFirst } from './sentence';
import { prepareScenario } from './index';
import { explainChange } from './analysis';
import { allow, identity, KEY, policy, request, role, world } from './fixtures/world';

describe('sentences built from pieces never re-case an identifier', () => {
  it('capitalizes an ordinary first word only', () => {
    expect(upperFirst('the key policy of arn:aws:kms:…')).toBe('The key policy of arn:aws:kms:…');
    expect(upperFirst('grant g1 gives it Decrypt')).toBe('Grant g1 gives it Decrypt');
    for (const identifier of [
      'arn:aws:kms:us-east-1:111122223333:key/1',
      'kms:Decrypt is not allowed',
      'aws:SourceIp is absent',
      'forAnyValue:Null is written so',
      '"payroll" is a Sid',
      'alias/payroll points to it',
    ])
      expect(upperFirst(identifier)).toBe(identifier);
  });

  it('lower-cases an ordinary capitalized first word only', () => {
    expect(lowerFirst('Every value of kms:EncryptionContextKeys matches')).toBe(
      'every value of kms:EncryptionContextKeys matches',
    );
    expect(lowerFirst('A policy variable in aws:userid')).toBe('a policy variable in aws:userid');
    // The access matrix's cell labels (MatrixView) once lower-cased the whole text, exception names included.
    expect(lowerFirst('Allowed, but fails with DisabledException')).toBe(
      'allowed, but fails with DisabledException',
    );
    for (const identifier of [
      'ForAnyValue:Null is not a condition operator',
      'ForAnyValue:StringEquals needs values',
      'Aws:SourceVpce is absent',
      'Null needs "true" or "false"',
      'Bool compares true or false',
      'StringEquals needs a value',
      'AWS managed keys',
      'KMS refuses it',
      'Principal names another account',
    ])
      expect(lowerFirst(identifier)).toBe(identifier);
  });
});

const ROLE = role('App');
const SOURCE_VPCE = 'Aws:SourceVpce';

describe('explanations keep the names as the policy writes them', () => {
  it('a condition key in a why-not clause keeps its casing (CK, §7: condition key names are case-insensitive, so AWS takes Aws:SourceVpce)', () => {
    // Two failing conditions: the explanation names the first through whyNotApplied.
    const scenario = world({
      keyPolicy: policy(
        allow({ AWS: ROLE }, 'kms:Decrypt', {
          Sid: 'Use',
          Condition: { StringEquals: { [SOURCE_VPCE]: 'vpce-1', 'kms:EncryptionContext:Dept': 'x' } },
        }),
      ),
      principals: { [ROLE]: identity() },
    });
    const result = prepareScenario(scenario).evaluate({ id: 'r', ...request(ROLE) });
    expect(result.decision).toBe('ImplicitDeny');
    expect(result.explanation).toContain(`does not hold: ${SOURCE_VPCE} is absent`);
  });

  it('the what-if of a removed Deny keeps the identifiers of the statement summary', () => {
    const deny = {
      Sid: 'NoDecrypt',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
    };
    const before = world({
      keyPolicy: policy(allow({ AWS: ROLE }, 'kms:*'), deny),
      principals: { [ROLE]: identity() },
    });
    const after = world({
      keyPolicy: policy(allow({ AWS: ROLE }, 'kms:*'), { ...deny, Action: 'kms:Encrypt' }),
      principals: { [ROLE]: identity() },
    });
    const req = { id: 'r', ...request(ROLE), keyId: KEY };
    const change = explainChange(prepareScenario(before).evaluate(req), prepareScenario(after).evaluate(req));
    expect(change).toContain('no longer denies it');
    expect(change).toContain('kms:Decrypt');
    expect(change).not.toContain('kms:decrypt');
  });
});
