import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePolicyDocument, parsePolicyText, parseTemplate, rangeOf } from './parse';
import { parsePolicyId, policyId } from './policy-ids';

const KEY_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM policies",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "Principal": "*",
      "NotAction": ["kms:Describe*", "kms:Get*"],
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}, "Bool": {"aws:SecureTransport": false}}
    }
  ]
}`;

describe('parsePolicyText (KPO, IAM-PR, IAM-VAR)', () => {
  const policy = parsePolicyText(KEY_POLICY);

  it('reads statements, elements and their 1-based ranges', () => {
    expect(policy.syntaxErrors).toEqual([]);
    expect(policy.problems).toEqual([]);
    expect(policy.statementForm).toBe('array');
    expect(policy.statements).toHaveLength(2);
    const [first, second] = policy.statements;
    expect(first.sid?.value).toBe('Enable IAM policies');
    expect(first.range.start).toMatchObject({ line: 4, column: 5 });
    expect(first.action?.values.map((v) => v.value)).toEqual(['kms:*']);
    expect(first.action?.range.start).toMatchObject({ line: 8, column: 17 });
    expect(first.principal?.entries[0]).toMatchObject({ type: 'AWS' });
    expect(second.principal?.wildcard).toBe(true);
    expect(second.action?.element).toBe('NotAction');
    expect(second.action?.values[1].path).toEqual(['Statement', 1, 'NotAction', 1]);
  });

  it('reads each condition operator, key and value; booleans count as strings', () => {
    const blocks = policy.statements[1].condition!.blocks;
    expect(blocks.map((b) => b.operator.value)).toEqual(['StringNotEquals', 'Bool']);
    expect(blocks[0].entries[0].key.value).toBe('aws:SourceVpce');
    expect(blocks[0].entries[0].values.map((v) => v.value)).toEqual(['vpce-1', 'vpce-2']);
    expect(blocks[1].entries[0].values[0]).toMatchObject({ value: 'false', kind: 'boolean' });
    expect(blocks[1].entries[0].key.range.start.line).toBe(16);
  });

  it('locates any JSON path', () => {
    expect(rangeOf(policy, ['Statement', 1, 'Effect'])?.start).toMatchObject({ line: 12, column: 17 });
    expect(rangeOf(policy, ['Nope'])).toBeUndefined();
  });

  it('accepts a single statement object (IAM grammar)', () => {
    const p = parsePolicyText('{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}');
    expect(p.statementForm).toBe('object');
    expect(p.statements[0].path).toEqual(['Statement']);
  });

  it('recognises policy variables only under Version 2012-10-17 (IAM-VAR)', () => {
    const withVersion = parsePolicyText(
      `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:*:*:key/\${aws:PrincipalTag/k, 'd'}"}}`,
    );
    expect(withVersion.statements[0].resource?.values[0].template).toEqual([
      { kind: 'text', text: 'arn:aws:kms:*:*:key/' },
      { kind: 'variable', name: 'aws:PrincipalTag/k', defaultValue: 'd' },
    ]);
    const without = parsePolicyText(
      `{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"\${aws:username}"}}`,
    );
    expect(without.variablesEnabled).toBe(false);
    expect(without.statements[0].resource?.values[0].template).toBeUndefined();
  });

  it('parses escapes and plain variables', () => {
    expect(parseTemplate('a${*}b')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'text', text: '\u0000*' },
      { kind: 'text', text: 'b' },
    ]);
    expect(parseTemplate('no variables')).toBeUndefined();
  });

  it('returns syntax errors with ranges instead of throwing', () => {
    const p = parsePolicyText('{\n  "Statement": [ { "Effect": "Allow", } ]\n}');
    expect(p.syntaxErrors.length).toBeGreaterThan(0);
    expect(p.syntaxErrors[0].range.start.line).toBe(2);
    expect(parsePolicyText('// c\n{}').syntaxErrors[0].message).toMatch(/comments/);
  });

  it('reports structural problems', () => {
    const p = parsePolicyText(
      '{"Statement":[{"Effect":"Allow","Action":5,"NotAction":"kms:x","Principal":"111122223333"}, 3]}',
    );
    expect(p.problems.map((x) => x.code).sort()).toEqual([
      'CONFLICTING_ELEMENTS',
      'INVALID_PRINCIPAL',
      'NOT_AN_OBJECT',
      'WRONG_TYPE',
    ]);
  });

  it('parses a JSON value with ranges into its 2-space rendering', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
    };
    const p = parsePolicyDocument(doc);
    expect(p.text).toBe(JSON.stringify(doc, null, 2));
    expect(p.statements[0].range.start).toMatchObject({ line: 4, column: 5 });
    expect(p.value).toEqual(doc);
  });

  it('never throws on any input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const p = parsePolicyText(text);
        expect(Array.isArray(p.statements)).toBe(true);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        parsePolicyText(text);
        parsePolicyDocument(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('policy ids', () => {
  it('round-trips every layer', () => {
    const ids = [
      policyId({ layer: 'key', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k' }),
      policyId({ layer: 'identity', principalArn: 'arn:aws:iam::111122223333:role/R', index: 2 }),
      policyId({ layer: 'scp', target: 'ou-ab12-11111111', index: 0 }),
      policyId({ layer: 'endpoint', vpceId: 'vpce-1' }),
    ];
    expect(ids[1]).toBe('identity:arn:aws:iam::111122223333:role/R#2');
    expect(ids.map((id) => policyId(parsePolicyId(id)!))).toEqual(ids);
    expect(parsePolicyId('nonsense')).toBeUndefined();
  });
});

describe('nesting depth (json-depth.ts)', () => {
  const deep = (n: number, inner = '') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;

  it('stops at 64 levels with a located problem instead of overflowing the stack', () => {
    const text = `{\n  "Version": "2012-10-17",\n  "Statement": ${deep(100_000)}\n}`;
    const parsed = parsePolicyText(text);
    expect(parsed.syntaxErrors).toHaveLength(1);
    const [problem] = parsed.syntaxErrors;
    expect(problem.code).toBe('NESTED_TOO_DEEP');
    expect(problem.message).toMatch(/nested deeper than 64 levels/);
    // Level 1 is the document, level 2 the Statement array: the 64th bracket opens level 65.
    expect(problem.range.start).toEqual({ line: 3, column: 16 + 63, offset: text.indexOf('[') + 63 });
    expect(problem.path).toEqual(['Statement', ...Array<number>(63).fill(0)]);
  });

  it('reads 64 levels, and ignores brackets inside strings and comments when counting', () => {
    expect(parsePolicyText(`{"Statement": ${deep(63)}}`).syntaxErrors).toEqual([]);
    expect(parsePolicyText(`{"Statement": ${deep(64)}}`).syntaxErrors[0].code).toBe('NESTED_TOO_DEEP');
    const strings = `{"Sid": "${'['.repeat(200)}", "Statement": [{"Effect": "Allow", "Action": "k\\"[[[[${'{'.repeat(100)}"}]}`;
    expect(parsePolicyText(strings).syntaxErrors).toEqual([]);
  });

  it('reports a deep or cyclic JSON value instead of letting JSON.stringify throw', () => {
    let value: unknown = 'x';
    for (let i = 0; i < 100_000; i++) value = [value];
    const parsed = parsePolicyDocument({ Version: '2012-10-17', Statement: value });
    expect(parsed.syntaxErrors.map((e) => e.code)).toEqual(['NESTED_TOO_DEEP']);
    expect(parsed.syntaxErrors[0].path).toEqual(['Statement', ...Array<number>(63).fill(0)]);
    const cyclic: Record<string, unknown> = { Version: '2012-10-17' };
    cyclic.Statement = cyclic;
    expect(parsePolicyDocument(cyclic).syntaxErrors.map((e) => e.code)).toEqual(['NESTED_TOO_DEEP']);
  });
});
