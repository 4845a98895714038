import { describe, expect, it } from 'vitest';
import { prepareScenario } from './index';
import { meetsExpectation } from './evaluate';
import { expectationMismatch } from './expectation';
import type { Scenario } from '../scenario/types';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/Payroll';

describe('meetsExpectation: "as expected" compares like with like', () => {
  it('matches a policy denial only when AWS would answer AccessDeniedException', () => {
    expect(meetsExpectation('ImplicitDeny', 'ImplicitDeny', 'AccessDeniedException')).toBe(true);
    expect(meetsExpectation('ImplicitDeny', 'ImplicitDeny', 'NotFoundException')).toBe(false);
    expect(meetsExpectation('ExplicitDeny', 'ExplicitDeny', 'AccessDeniedException')).toBe(true);
    expect(meetsExpectation('ExplicitDeny', 'ImplicitDeny', 'AccessDeniedException')).toBe(false);
  });

  it('matches an exception name only by the outcome', () => {
    expect(meetsExpectation('AccessDeniedException', 'ExplicitDeny', 'AccessDeniedException')).toBe(true);
    expect(meetsExpectation('AccessDeniedException', 'ImplicitDeny', 'NotFoundException')).toBe(false);
    expect(meetsExpectation('NotFoundException', 'ImplicitDeny', 'NotFoundException')).toBe(true);
  });

  it('matches Allow only for a successful call', () => {
    expect(meetsExpectation('Allow', 'Allow', 'Success')).toBe(true);
    expect(meetsExpectation('Allow', 'Allow', 'DisabledException')).toBe(false);
  });
});

describe('evaluation of a CloudTrail AccessDenied against a scenario without the key', () => {
  const scenario: Scenario = {
    version: 2,
    principals: { [ROLE]: { policies: [] } },
    requests: [],
  } as unknown as Scenario;

  for (const expected of ['AccessDeniedException', 'ImplicitDeny'] as const) {
    it(`does not pass "${expected}" with NotFoundException`, () => {
      const result = prepareScenario(scenario).evaluate({
        id: 'r',
        principal: ROLE,
        action: 'kms:Decrypt',
        keyId: KEY,
        expect: expected,
      });
      expect(result.outcome).toBe('NotFoundException');
      expect(result.pass).toBe(false);
    });
  }
});

describe('expectationMismatch: what a failed expectation says', () => {
  const scenario = {
    version: 2,
    principals: { [ROLE]: { policies: [] } },
    keys: {
      [KEY]: {
        state: 'Disabled',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' }],
        },
      },
    },
  } as unknown as Scenario;
  const evaluate = (expect: string, keyId = KEY) =>
    prepareScenario(scenario).evaluate({ id: 'r', principal: ROLE, action: 'kms:Decrypt', keyId, expect });

  it('names the exception a decision word cannot match (KS key-state.html: a disabled key)', () => {
    expect(expectationMismatch(evaluate('Allow'))).toBe(
      'expected Allow, but the request answered DisabledException: the call is authorized, but fails; to expect this, "expect" must name the exception ("expect": "DisabledException")',
    );
    expect(expectationMismatch(evaluate('ImplicitDeny', KEY.replace('1234abcd', '9999abcd')))).toBe(
      'expected ImplicitDeny, but the request answered NotFoundException; to expect this, "expect" must name the exception ("expect": "NotFoundException")',
    );
  });

  it('says only what was answered when the expectation names an exception or the call was decided by policies', () => {
    expect(expectationMismatch(evaluate('NotFoundException'))).toBe(
      'expected NotFoundException, but the request answered DisabledException',
    );
  });
});
