import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './schema';
import { unknownProperties, validateAgainstSchema } from './validate';

const shape: JsonSchema = {
  type: 'object',
  oneOf: [
    {
      type: 'object',
      required: ['type', 'userName'],
      properties: { type: { const: 'IAMUser' }, userName: { type: 'string' } },
      additionalProperties: false,
    },
    {
      type: 'object',
      required: ['type'],
      properties: { type: { const: 'Root' }, accountId: { type: 'string' } },
      additionalProperties: false,
    },
  ],
};

describe('const and oneOf', () => {
  it('accept a value that matches exactly one alternative', () => {
    expect(validateAgainstSchema({ type: 'IAMUser', userName: 'bob' }, shape)).toEqual([]);
    expect(validateAgainstSchema({ type: 'Root' }, shape)).toEqual([]);
  });

  it("report the closest alternative's violations when none matches", () => {
    expect(validateAgainstSchema({ type: 'IAMUser' }, shape, ['userIdentity'])).toEqual([
      { path: ['userIdentity'], message: 'is missing the required property "userName"' },
    ]);
    expect(validateAgainstSchema({ type: 'Robot' }, shape).map((v) => v.message)).toContain('must be "Root"');
  });

  it('report a value that matches several alternatives', () => {
    const loose: JsonSchema = { oneOf: [{ type: 'string' }, { type: 'string', minLength: 1 }] };
    expect(validateAgainstSchema('x', loose)[0].message).toBe(
      'matches 2 of the alternatives; it must match exactly one',
    );
  });

  it('find unknown property names in the alternative that holds', () => {
    expect(unknownProperties({ type: 'Root', accountId: '1', userName: 'x' }, shape)).toMatchObject([
      { path: ['userName'], atKey: true },
    ]);
    expect(unknownProperties({ type: 'IAMUser', userName: 'x' }, shape)).toEqual([]);
  });
});
