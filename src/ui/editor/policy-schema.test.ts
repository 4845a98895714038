import { describe, expect, it } from 'vitest';
import type { PolicyType } from '../../engine/types';
import { policySchema, requiresPrincipal } from './policy-schema';

type Schema = Record<string, any>;

function statementOf(type: PolicyType): Schema {
  const statement = (policySchema(type).properties as Schema).Statement.anyOf[0];
  return statement;
}

describe('policySchema', () => {
  it('requires a Principal (or NotPrincipal) in key, RCP and endpoint policies', () => {
    for (const type of ['key', 'rcp', 'endpoint'] as const) {
      expect(requiresPrincipal(type)).toBe(true);
      const statement = statementOf(type);
      expect(statement.allOf).toContainEqual({
        anyOf: [{ required: ['Principal'] }, { required: ['NotPrincipal'] }],
      });
      expect(statement.properties.Principal.not).toBeUndefined();
    }
  });

  it('never offers Principal or NotPrincipal in identity, boundary, session and SCP policies', () => {
    for (const type of ['identity', 'boundary', 'session', 'scp'] as const) {
      expect(requiresPrincipal(type)).toBe(false);
      const statement = statementOf(type);
      expect(statement.properties.Principal).toMatchObject({ not: {}, doNotSuggest: true });
      expect(statement.properties.NotPrincipal).toMatchObject({ not: {} });
      expect(JSON.stringify(statement.allOf)).not.toContain('Principal');
    }
  });

  it('accepts one statement or an array of statements, and offers Allow/Deny for Effect', () => {
    const statementSchema = (policySchema('key').properties as Schema).Statement;
    expect(statementSchema.anyOf[1]).toEqual({ type: 'array', items: statementSchema.anyOf[0] });
    expect(statementSchema.anyOf[0].properties.Effect.enum).toEqual(['Allow', 'Deny']);
  });
});
