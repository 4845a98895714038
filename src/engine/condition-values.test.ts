/**
 * The one reader of Numeric and Date values (condition-values.ts), and the promise it exists for: the linter
 * flags a value exactly when the evaluator cannot compare it. Sources: IAM-OPS
 * (reference_policies_elements_condition_operators.html: Numeric "an integer or decimal value"; Date "W3C
 * implementations of the ISO 8601 date formats … or epoch (UNIX) time") and w3.org/TR/NOTE-datetime.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareIamNumbers,
  parseIamDate,
  parseIamNumber,
  readIamDate,
  type IamNumber,
} from './condition-values';
import { lintPolicy } from './lint';
import { evaluateScenario } from './index';
import { KEY, allow, policy, role, session, world } from './fixtures/world';

const num = (text: string): IamNumber => {
  const n = parseIamNumber(text);
  if (!n) throw new Error(`not a number: ${text}`);
  return n;
};

describe('parseIamNumber (IAM-OPS Numeric: integers and decimals)', () => {
  it('reads integers and decimals, with a minus sign', () => {
    for (const text of ['0', '10', '-7', '3.25', '-0.5', '007', '1.50', '123456789012345678901234567890'])
      expect(parseIamNumber(text), text).toBeDefined();
  });

  it('refuses what Number() would accept but IAM does not list', () => {
    for (const text of [
      '0x10',
      'Infinity',
      '-Infinity',
      'NaN',
      '1e3',
      '1E3',
      '+5',
      ' 16',
      '16 ',
      '',
      '-',
      '.5',
      '5.',
      '1.2.3',
      '0b11',
      '1_000',
      '١٢', // Arabic-Indic digits
    ])
      expect(parseIamNumber(text), JSON.stringify(text)).toBeUndefined();
  });

  it('compares exactly, beyond floating-point precision', () => {
    expect(compareIamNumbers(num('9007199254740993'), num('9007199254740992'))).toBe(1);
    expect(compareIamNumbers(num('0.30000000000000001'), num('0.3'))).toBe(1);
    expect(compareIamNumbers(num('-0'), num('0'))).toBe(0);
    expect(compareIamNumbers(num('007.50'), num('7.5'))).toBe(0);
    expect(compareIamNumbers(num('-10'), num('-9'))).toBe(-1);
    expect(compareIamNumbers(num('-1.5'), num('1'))).toBe(-1);
    expect(compareIamNumbers(num('-1.5'), num('-1.50'))).toBe(0); // +0, not -0
  });

  it('orders like real numbers on numbers doubles hold exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        const [x, y] = [(a / 64).toString(), (b / 64).toString()];
        expect(compareIamNumbers(num(x), num(y))).toBe(Math.sign(a - b));
      }),
    );
  });
});

describe('readIamDate (IAM-OPS Date: W3C ISO 8601 or epoch seconds)', () => {
  it('reads every W3C form with a date, and epoch seconds', () => {
    expect(parseIamDate('2020-01-01')).toBe(Date.UTC(2020, 0, 1));
    expect(parseIamDate('2020-02')).toBe(Date.UTC(2020, 1, 1));
    expect(parseIamDate('2020-01-01T08:30Z')).toBe(Date.UTC(2020, 0, 1, 8, 30));
    expect(parseIamDate('2020-01-01T08:30:15Z')).toBe(Date.UTC(2020, 0, 1, 8, 30, 15));
    expect(parseIamDate('2020-01-01T08:30:15.25Z')).toBe(Date.UTC(2020, 0, 1, 8, 30, 15, 250));
    expect(parseIamDate('2020-01-01T08:30:15.123456Z')).toBe(Date.UTC(2020, 0, 1, 8, 30, 15, 123));
    expect(parseIamDate('2020-01-01T09:30:00+01:00')).toBe(Date.UTC(2020, 0, 1, 8, 30));
    expect(parseIamDate('2019-12-31T21:30:00-11:00')).toBe(Date.UTC(2020, 0, 1, 8, 30));
    expect(parseIamDate('1577836800')).toBe(Date.UTC(2020, 0, 1));
    expect(parseIamDate('0')).toBe(0);
    // Digits only are epoch seconds, even when they look like a basic-format date (lab choice, docs/engine.md).
    expect(parseIamDate('20200101')).toBe(20200101000);
    expect(parseIamDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIamDate('0099-01-01')).toBe(new Date('0099-01-01T00:00:00Z').getTime());
  });

  it('refuses dates that are not in the calendar and times that are not on the clock', () => {
    for (const text of [
      '2099-02-30',
      '2023-02-29',
      '1900-02-29',
      '2020-04-31',
      '2020-13-01',
      '2020-00-10',
      '2020-01-00',
      '2020-01-01T24:00Z',
      '2020-01-01T23:60Z',
      '2020-01-01T23:59:60Z',
      '2020-01-01T10:00+24:00',
    ]) {
      const date = readIamDate(text);
      expect(date.ok, text).toBe(false);
      if (!date.ok) expect(date.problem, text).not.toMatch(/^it is not/);
    }
  });

  it('refuses what Date.parse would read but W3C does not list', () => {
    for (const text of [
      'March 7 2099',
      '7 March 2099',
      '2099/03/07',
      'Sat, 07 Mar 2099 00:00:00 GMT',
      '2020-01-01T08:30', // a time without a zone (W3C: TZD is part of every time form)
      '2020-01-01T08:30:00', // Date.parse reads it in the machine's local zone
      '2020-01-01 08:30:00Z',
      '2020-01-01t08:30:00z',
      '2020-01-01T08:30:00+0100',
      '2020-01-01T8:30Z',
      '2020-1-1',
      '+002020-01-01',
      '-1577836800',
      '1577836800.5',
      '1e9',
      ' 1577836800',
      '1234567890123456', // 16 digits of epoch seconds
      '',
      'Infinity',
    ])
      expect(parseIamDate(text), JSON.stringify(text)).toBeUndefined();
  });
});

describe('the linter and the evaluator agree on every value', () => {
  const APP = role('App');
  const VALUES = [
    '16',
    '0x10',
    'Infinity',
    '1e1',
    '16.0',
    ' 16',
    '2099-02-30',
    '2099-02-28',
    'March 7 2099',
    '2099-03-07T00:00:00',
    '2099-03-07T00:00:00Z',
    '4076697600',
  ];

  function flagged(operator: string, value: string): boolean {
    const text = JSON.stringify(
      policy({
        ...allow({ AWS: APP }, 'kms:Decrypt'),
        Condition: { [operator]: { 'aws:EpochTime': value } },
      }),
    );
    return lintPolicy(text, 'key').some((f) => f.code === 'CONDITION_VALUE_TYPE_MISMATCH');
  }

  function decides(operator: string, value: string, requestValue: string): string {
    const scenario = world({
      keyPolicy: policy({
        ...allow({ AWS: APP }, 'kms:Decrypt'),
        Condition: { [operator]: { 'test:value': value } },
      }),
    });
    scenario.requests = [
      {
        id: 'r',
        principal: session('App'),
        action: 'kms:Decrypt',
        keyId: KEY,
        context: { 'test:value': requestValue },
      },
    ];
    return evaluateScenario(scenario)[0].decision;
  }

  for (const operator of [
    'NumericLessThanEquals',
    'NumericGreaterThan',
    'DateLessThanEquals',
    'DateNotEquals',
  ]) {
    it(`${operator}: a value is flagged exactly when no request can satisfy it`, () => {
      const probe = operator.startsWith('Numeric')
        ? ['16', '-1', '1e9', '99999999999']
        : ['0', '4076697600', '9999999999', '2099-03-07T00:00:00Z'];
      for (const value of VALUES) {
        const everAllows = probe.some((request) => decides(operator, value, request) === 'Allow');
        expect(flagged(operator, value), `${operator} "${value}"`).toBe(!everAllows);
      }
    });
  }
});
