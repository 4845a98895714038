/**
 * Nothing the user wrote is silently ignored (issue 8): an unknown scenario field at any level, and a request
 * parameter the operation does not read, load with a located warning that names the nearest valid name.
 * Wrong types and values stay errors.
 */
import { describe, expect, it } from 'vitest';
import { formatLocatedWarning, loadScenario, type LocatedError } from './load';
import { scenarioWarnings } from './warnings';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';

function text(scenario: Record<string, unknown>): string {
  return JSON.stringify({ version: 1, ...scenario }, null, 2);
}

function warningsOf(source: string): LocatedError[] {
  const result = loadScenario(source, 'w.json');
  if (!result.ok) throw new Error(`expected the scenario to load: ${JSON.stringify(result.errors)}`);
  return result.warnings;
}

/** The 1-based line/column of the first occurrence of `needle`. */
function where(source: string, needle: string): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(needle)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('unknown scenario fields', () => {
  it('warns of "titel" at the top, with "did you mean", and still loads', () => {
    const source = text({ titel: 'Payroll' });
    const [warning, ...rest] = warningsOf(source);
    expect(rest).toEqual([]);
    expect(warning).toEqual({
      file: 'w.json',
      path: ['titel'],
      ...where(source, '"titel"'),
      message: 'unknown field "titel" is ignored. Did you mean "title"?',
    });
    expect(formatLocatedWarning(warning)).toBe(
      `w.json:${warning.line}:${warning.column}  $.titel: warning: unknown field "titel" is ignored. Did you mean "title"?`,
    );
  });

  it.each([
    [{ keys: { [KEY]: { stat: 'Enabled' } } }, ['keys', KEY, 'stat'], 'state'],
    [{ principals: { [ROLE]: { tag: {} } } }, ['principals', ROLE, 'tag'], 'tags'],
    [{ accounts: { '111122223333': { nmae: 'Security' } } }, ['accounts', '111122223333', 'nmae'], 'name'],
    [
      {
        keys: { [KEY]: {} },
        grants: [
          { grantId: 'g', keyArn: KEY, granteePrincipal: ROLE, operations: ['Decrypt'], constrains: {} },
        ],
      },
      ['grants', 0, 'constrains'],
      'constraints',
    ],
    [
      {
        keys: { [KEY]: {} },
        grants: [
          {
            grantId: 'g',
            keyArn: KEY,
            granteePrincipal: ROLE,
            operations: ['Decrypt'],
            constraints: { encryptionContextSubst: {} },
          },
        ],
      },
      ['grants', 0, 'constraints', 'encryptionContextSubst'],
      'encryptionContextSubset',
    ],
    [
      { requests: [{ id: 'r', principal: ROLE, action: 'kms:Decrypt', encryptionContex: {} }] },
      ['requests', 0, 'encryptionContex'],
      'encryptionContext',
    ],
    [{ vpcEndpoints: { 'vpce-1a': { polcy: {} } } }, ['vpcEndpoints', 'vpce-1a', 'polcy'], 'policy'],
  ])('warns at every level: %j', (scenario, path, suggestion) => {
    const source = text(scenario);
    const warnings = warningsOf(source);
    expect(warnings.map((w) => w.path)).toEqual([path]);
    const name = String(path[path.length - 1]);
    expect(warnings[0]).toMatchObject(where(source, `"${name}"`));
    expect(warnings[0].message).toContain(`Did you mean "${suggestion}"?`);
  });

  it('lists the fields when no name is near', () => {
    const [warning] = warningsOf(text({ keys: { [KEY]: { zzzzzzzz: 1 } } }));
    expect(warning.message).toMatch(
      /^unknown field "zzzzzzzz" is ignored\. Here the fields are description, manager, state/,
    );
  });

  it('keeps wrong types and values as errors', () => {
    const result = loadScenario(text({ title: 3, keys: { [KEY]: { state: 'Paused' } } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([['title'], ['keys', KEY, 'state']]);
  });

  it('does not look inside policy documents or free-form maps (the linter and the table of parameters do)', () => {
    const warnings = warningsOf(
      text({
        keys: {
          [KEY]: { policy: { Version: '2012-10-17', Statement: [], Anything: 1 }, tags: { anyTag: 'x' } },
        },
        requests: [
          { id: 'r', principal: ROLE, action: 'kms:Decrypt', keyId: KEY, context: { 'aws:Whatever': 'x' } },
        ],
      }),
    );
    expect(warnings).toEqual([]);
  });
});

describe('request parameters the operation does not read', () => {
  it('warns of a CreateGrant whose fields were nested under parameters.grant (issue 8)', () => {
    const source = text({
      keys: { [KEY]: {} },
      requests: [
        {
          id: 'grant',
          principal: ROLE,
          action: 'kms:CreateGrant',
          keyId: KEY,
          parameters: { grant: { granteePrincipal: ROLE, operations: ['Decrypt'] } },
        },
      ],
    });
    const [warning, ...rest] = warningsOf(source);
    expect(rest).toEqual([]);
    expect(warning.path).toEqual(['requests', 0, 'parameters', 'grant']);
    expect(warning).toMatchObject(where(source, '"grant":'));
    expect(warning.message).toContain('parameters.grant is ignored');
    expect(warning.message).toContain('belong directly under parameters');
  });

  it('accepts what the operation reads, in camelCase or PascalCase', () => {
    const warnings = scenarioWarnings({
      version: 1,
      requests: [
        {
          id: 'a',
          principal: ROLE,
          action: 'kms:CreateGrant',
          parameters: { GranteePrincipal: ROLE, operations: ['Decrypt'] },
        },
        { id: 'b', principal: ROLE, action: 'kms:ReEncrypt', parameters: { destinationKeyId: KEY } },
        { id: 'c', principal: ROLE, action: 'kms:RetireGrant', parameters: { GrantToken: 't' } },
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('names the nearest parameter', () => {
    const [warning] = scenarioWarnings({
      version: 1,
      requests: [
        {
          id: 'a',
          principal: ROLE,
          action: 'kms:Sign',
          parameters: { signingAlgorith: 'RSASSA_PSS_SHA_256' },
        },
      ],
    });
    expect(warning.path).toEqual(['requests', 0, 'parameters', 'signingAlgorith']);
    expect(warning.message).toContain('Did you mean "signingAlgorithm"?');
  });
});
