import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatJsonPath,
  formatLocatedError,
  isIpAddress,
  loadScenario,
  toFilePosition,
  type LocatedError,
} from './load';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
  ],
};

function scenarioText(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      version: 2,
      principals: {
        [ROLE]: { policies: [{ name: 'use-key', document: { Version: '2012-10-17', Statement: [] } }] },
      },
      keys: { [KEY]: { policy: KEY_POLICY, aliases: ['alias/app'] } },
      requests: [{ id: 'r1', principal: ROLE, action: 'kms:Decrypt', keyId: 'alias/app', expect: 'Allow' }],
      ...overrides,
    },
    null,
    2,
  );
}

function errorsOf(text: string): LocatedError[] {
  const result = loadScenario(text, 'test.json');
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.errors;
}

/** The 1-based line/column of the first occurrence of `needle` in `text`. */
function where(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('loadScenario: valid input', () => {
  it('returns the scenario and each policy text keyed by PolicyId', () => {
    const text = scenarioText();
    const result = loadScenario(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.requests?.[0].id).toBe('r1');
    expect(Object.keys(result.sources).sort()).toEqual([`identity:${ROLE}#0`, `key:${KEY}`]);
    expect(JSON.parse(result.sources[`key:${KEY}`])).toEqual(KEY_POLICY);
    // The named policy's source is its document, not the {name, document} wrapper.
    expect(JSON.parse(result.sources[`identity:${ROLE}#0`])).toEqual({
      Version: '2012-10-17',
      Statement: [],
    });
    const start = result.sourceStarts[`key:${KEY}`];
    expect(text.slice(start.offset, start.offset + 1)).toBe('{');
    expect(result.notes).toEqual([]);
  });

  it('gives every policy layer its id: boundary, session, scp, rcp, endpoint', () => {
    const text = scenarioText({
      principals: { [ROLE]: { permissionsBoundary: KEY_POLICY, policies: [KEY_POLICY, KEY_POLICY] } },
      organization: {
        root: { scps: ['FullAWSAccess', { name: 'Guard', document: KEY_POLICY }] },
        units: { 'ou-ab12-11111111': { scps: [KEY_POLICY] } },
        accounts: { '111122223333': { unit: 'ou-ab12-11111111', rcps: [KEY_POLICY, KEY_POLICY] } },
      },
      vpcEndpoints: { 'vpce-0abc': { policy: KEY_POLICY } },
      requests: [{ id: 'r1', principal: ROLE, action: 'kms:Decrypt', sessionPolicy: KEY_POLICY }],
    });
    const result = loadScenario(text);
    expect(result.ok && Object.keys(result.sources).sort()).toEqual(
      [
        `boundary:${ROLE}`,
        `endpoint:vpce-0abc`,
        `identity:${ROLE}#0`,
        `identity:${ROLE}#1`,
        `key:${KEY}`,
        'rcp:111122223333#0',
        'rcp:111122223333#1',
        'scp:root#1',
        'scp:ou-ab12-11111111#0',
        'session:r1',
      ].sort(),
    );
  });

  it('keeps a policy text exactly as written, comments and spacing included', () => {
    const text = `{
  // a comment is fine in a scenario (JSONC)
  "version": 1,
  "keys": { "${KEY}": { "policy": {"Version":"2012-10-17",   "Statement": []} } }
}`;
    const result = loadScenario(text);
    expect(result.ok && result.sources[`key:${KEY}`]).toBe('{"Version":"2012-10-17",   "Statement": []}');
    expect(result.ok && result.sourceStarts[`key:${KEY}`]).toEqual({
      ...where(text, '{"Version"'),
      offset: text.indexOf('{"Version"'),
    });
  });

  it('maps a position inside a policy back to the file', () => {
    const start = { line: 4, column: 30, offset: 100 };
    expect(toFilePosition(start, { line: 1, column: 3, offset: 2 })).toEqual({
      line: 4,
      column: 32,
      offset: 102,
    });
    expect(toFilePosition(start, { line: 3, column: 5, offset: 40 })).toEqual({
      line: 6,
      column: 5,
      offset: 140,
    });
  });
});

describe('loadScenario: located errors', () => {
  it('reports a JSON syntax error with its line and column', () => {
    const text = '{\n  "version": 1,\n  "keys": { ,}\n}';
    const [error] = errorsOf(text);
    expect(error).toMatchObject({ file: 'test.json', line: 3, column: 13 });
    expect(error.message).toMatch(/^JSON syntax error: /);
  });

  it('rejects trailing commas and empty files', () => {
    expect(errorsOf('{"version": 1,}')[0].message).toMatch(/trailing commas/);
    expect(errorsOf('   \n')[0].message).toMatch(/empty/);
  });

  it('names the path, the allowed values and the place of an enum violation', () => {
    const text = scenarioText({ keys: { [KEY]: { state: 'Paused' } } });
    const [error] = errorsOf(text);
    expect(error.path).toEqual(['keys', KEY, 'state']);
    expect(error).toMatchObject(where(text, '"Paused"'));
    expect(formatLocatedError(error)).toBe(
      `test.json:${error.line}:${error.column}  $.keys["${KEY}"].state: must be one of Enabled, Disabled, PendingDeletion, PendingImport`,
    );
  });

  it('reports a missing required property on its object, and warns of an unknown property at its name', () => {
    const text = scenarioText({ requests: [{ id: 'r1', action: 'kms:Decrypt', keyID: KEY }] });
    const result = loadScenario(text, 'test.json');
    if (result.ok) throw new Error('expected the scenario to be rejected');
    expect(result.errors.map((e) => e.message)).toEqual(['is missing the required property "principal"']);
    // An unknown field is not an error (issue 8): it is ignored, and the warning names the nearest field.
    expect(result.warnings).toEqual([
      {
        file: 'test.json',
        path: ['requests', 0, 'keyID'],
        ...where(text, '"keyID"'),
        message: 'unknown field "keyID" is ignored. Did you mean "keyId"?',
      },
    ]);
  });

  it('reports a wrong type without piling up further messages', () => {
    const errors = errorsOf(scenarioText({ grants: { g: 1 } }));
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe('must be an array, not an object');
  });

  it('checks account ids, key ARNs and principal ARNs at the property name', () => {
    const text = scenarioText({
      accounts: { '12345': { name: 'short' } },
      keys: { 'arn:aws:kms:us-east-1:111122223333:alias/app': {} },
      principals: { 'arn:aws:iam::111122223333:group/Admins': {} },
    });
    const errors = errorsOf(text);
    // Sorted by position; JSON.stringify keeps the base order (principals, keys) and appends accounts.
    expect(errors.map((e) => [e.path[0], e.message])).toEqual([
      [
        'principals',
        expect.stringMatching(
          /^property name "arn:aws:iam::111122223333:group\/Admins" must be an IAM principal ARN/,
        ),
      ],
      ['keys', expect.stringMatching(/must be a key ARN/)],
      ['accounts', 'property name "12345" must be a 12-digit AWS account id'],
    ]);
    expect(errors[2]).toMatchObject(where(text, '"12345"'));
  });

  it('checks request principals, actions, endpoints and source IPs', () => {
    const errors = errorsOf(
      scenarioText({
        requests: [
          { id: 'a', principal: 'bob', action: 'kms:Decrypt' },
          { id: 'b', principal: ROLE, action: 'Decrypt' },
          {
            id: 'c',
            principal: ROLE,
            action: 'kms:Decrypt',
            vpcEndpoint: 'endpoint-1',
            sourceIp: '10.0.0.300',
          },
          { id: 'd', principal: 's3.amazonaws.com', action: 'kms:Decrypt', sourceIp: '2001:db8::1' },
        ],
      }),
    );
    expect(errors.map((e) => formatJsonPath(e.path))).toEqual([
      '$.requests[0].principal',
      '$.requests[1].action',
      '$.requests[2].vpcEndpoint',
      '$.requests[2].sourceIp',
    ]);
  });

  it('requires a grant key to exist, unique request ids, and well-formed aliases', () => {
    const OTHER = KEY.replace('1234abcd', '9999abcd');
    const errors = errorsOf(
      scenarioText({
        keys: {
          [KEY]: { aliases: ['payroll', 'alias/aws/s3', 'alias/shared'] },
          [OTHER]: { aliases: ['alias/shared'] },
        },
        grants: [
          {
            grantId: 'g1',
            keyArn: OTHER.replace('9999', '7777'),
            granteePrincipal: ROLE,
            operations: ['Decrypt'],
          },
        ],
        requests: [
          { id: 'same', principal: ROLE, action: 'kms:Encrypt' },
          { id: 'same', principal: ROLE, action: 'kms:Decrypt' },
        ],
      }),
    );
    expect(errors.map((e) => [formatJsonPath(e.path), e.message])).toEqual([
      [`$.keys["${KEY}"].aliases[0]`, expect.stringMatching(/^must be an alias name: "alias\/"/)],
      [`$.keys["${KEY}"].aliases[1]`, expect.stringMatching(/reserved for AWS managed keys/)],
      [
        `$.keys["${OTHER}"].aliases[0]`,
        `alias alias/shared already points at ${KEY} in the same account and Region`,
      ],
      ['$.requests[1].id', 'duplicate request id "same" (first used at $.requests[0])'],
      ['$.grants[0].keyArn', 'no key with this ARN under "keys"'],
    ]);
  });

  it('accepts the same alias name in another Region and alias/aws/ on an AWS managed key', () => {
    const WEST = KEY.replace('us-east-1', 'eu-west-1');
    const result = loadScenario(
      scenarioText({
        keys: {
          [KEY]: { aliases: ['alias/shared'] },
          [WEST]: { aliases: ['alias/shared', 'alias/aws/s3'], manager: 'AWS' },
        },
      }),
    );
    expect(result.ok).toBe(true);
  });

  it('checks grant operations, constraints and tokens', () => {
    const errors = errorsOf(
      scenarioText({
        grants: [
          { grantId: 'g1', keyArn: KEY, granteePrincipal: ROLE, operations: ['kms:Decrypt'] },
          { grantId: 'g2', keyArn: KEY, granteePrincipal: ROLE, operations: [], issuingAccount: '1111' },
          { grantId: 'g3', keyArn: KEY, granteePrincipal: ROLE, operations: ['Decrypt'], propagated: false },
          {
            grantId: 'g3',
            keyArn: KEY,
            granteePrincipal: ROLE,
            operations: ['Decrypt'],
            constraints: { encryptionContextEquals: { a: 1 } },
          },
        ],
      }),
    );
    const startsWith = (prefix: string) =>
      expect.stringMatching(new RegExp('^' + prefix.replace(/[()[\]]/g, '\\$&')));
    expect(errors.map((e) => [formatJsonPath(e.path), e.message])).toEqual([
      ['$.grants[0].operations[0]', startsWith('must be one of Decrypt, Encrypt, GenerateDataKey,')],
      ['$.grants[1].operations', 'must have at least 1 item'],
      ['$.grants[1].issuingAccount', 'must be a 12-digit AWS account id'],
      ['$.grants[2]', startsWith('a grant that is not yet propagated works only with its token')],
      ['$.grants[3].grantId', 'duplicate grant id "g3" on this key (first at $.grants[2])'],
      ['$.grants[3].constraints.encryptionContextEquals.a', 'must be a string, not an integer'],
    ]);
  });

  it('reports a duplicated key ARN at the second occurrence, but leaves duplicates inside policies to the linter', () => {
    const text = `{
  "version": 1,
  "keys": {
    "${KEY}": { "state": "Enabled" },
    "${KEY}": { "state": "Disabled", "policy": { "Statement": [], "Statement": [] } }
  }
}`;
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      line: 5,
      column: 5,
      message: `duplicate property "${KEY}": JSON keeps only the last one`,
    });
  });
});

describe('loadScenario: versions and migration', () => {
  it('reads a version 0 file (no version, one "request") as the current version, with a note', () => {
    const text = JSON.stringify({
      keys: { [KEY]: {} },
      request: { id: 'only', principal: ROLE, action: 'kms:Decrypt', keyId: KEY },
    });
    const result = loadScenario(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.scenario.version).toBe(2);
    expect(result.scenario.requests).toEqual([
      { id: 'only', principal: ROLE, action: 'kms:Decrypt', keyId: KEY },
    ]);
    expect('request' in result.scenario).toBe(false);
    expect(result.notes.join(' ')).toMatch(/no "version" field.*version 0.*"request" became "requests"\[0\]/);
  });

  it('locates errors of a migrated version 0 file where they are written', () => {
    const text = `{
  "request": {
    "id": "only",
    "principal": "${ROLE}",
    "action": "kms:Decrypt",
    "sessionPolicy": {"Version": "2012-10-17", "Statement": []},
    "expect": "Maybe"
  }
}`;
    const [error] = errorsOf(text);
    expect(error).toMatchObject({ path: ['request', 'expect'], line: 7, column: 15 });
    const fixed = loadScenario(text.replace('"Maybe"', '"Allow"'));
    expect(fixed.ok && fixed.sources['session:only']).toBe('{"Version": "2012-10-17", "Statement": []}');
  });

  it('refuses a newer version, a non-integer version, and both "request" and "requests"', () => {
    expect(errorsOf('{"version": 3}')[0]).toMatchObject({
      path: ['version'],
      line: 1,
      column: 13,
      message: expect.stringMatching(/^version 3 is newer than this lab understands/),
    });
    expect(errorsOf('{"version": "1"}')[0].message).toMatch(/must be a whole number/);
    expect(errorsOf('{"request": {}, "requests": []}')[0].message).toMatch(/either "request" or "requests"/);
    expect(errorsOf('[1, 2]')[0].message).toBe('a scenario must be a JSON object');
  });
});

describe('loadScenario never throws', () => {
  it('on arbitrary text and arbitrary JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ version: 2, keys: v })),
        ),
        (text) => {
          const result = loadScenario(text);
          return (
            result.ok || result.errors.every((e) => e.line >= 1 && e.column >= 1 && e.message.length > 0)
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('isIpAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['255.255.255.255', true],
    ['256.1.1.1', false],
    ['10.1.2', false],
    ['2001:db8::1', true],
    ['::1', true],
    ['::ffff:192.0.2.1', true],
    ['2001:db8:0:0:0:0:0:1', true],
    ['2001:db8::0::1', false],
    ['2001:db8:0:0:0:0:0:0:1', false],
    ['fe80::zz', false],
    ['example.com', false],
  ])('%s → %s', (text, valid) => expect(isIpAddress(text)).toBe(valid));
});
