import { describe, expect, it } from 'vitest';
import { hoverTargetAt, policyContextAt, statementIndexAt } from './policy-context';

/** Splits a template with one `|` into the text and the cursor offset. */
function at(template: string): [string, number] {
  const offset = template.indexOf('|');
  if (offset < 0 || template.indexOf('|', offset + 1) >= 0) throw new Error('template needs exactly one |');
  return [template.slice(0, offset) + template.slice(offset + 1), offset];
}

function contextOf(template: string) {
  return policyContextAt(...at(template));
}

describe('policyContextAt', () => {
  it('finds an action value inside a string of an Action array, with the typed prefix and the span to replace', () => {
    const context = contextOf('{"Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:De|"]}]}');
    expect(context.slot).toEqual({ kind: 'action-value', element: 'Action' });
    expect(context.statementIndex).toBe(0);
    expect(context.inString).toBe(true);
    expect(context.typed).toBe('kms:De');
    expect(context.actions).toEqual(['kms:Encrypt', 'kms:De']);
    const [text] = at('{"Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:De|"]}]}');
    expect(text.slice(context.replace.offset, context.replace.offset + context.replace.length)).toBe(
      'kms:De',
    );
  });

  it('replaces the whole string contents when the cursor is in the middle of a value', () => {
    const [text, offset] = at('{"Statement":{"Effect":"Deny","NotAction":"kms:Re|Encrypt*"}}');
    const context = policyContextAt(text, offset);
    expect(context.slot).toEqual({ kind: 'action-value', element: 'NotAction' });
    expect(context.notAction).toBe(true);
    expect(context.typed).toBe('kms:Re');
    expect(text.slice(context.replace.offset, context.replace.offset + context.replace.length)).toBe(
      'kms:ReEncrypt*',
    );
  });

  it('offers an empty span at the cursor outside a string', () => {
    const context = contextOf('{"Statement":[{"Effect":"Allow","Action": |}]}');
    expect(context.slot.kind).toBe('action-value');
    expect(context.inString).toBe(false);
    expect(context.replace.length).toBe(0);
  });

  it('offers nothing right after a complete value or property, where JSON wants a comma first', () => {
    expect(contextOf('{"Statement":[{"Effect":"Allow","Action":["kms:Decrypt"|]}]}').slot).toEqual({
      kind: 'other',
    });
    expect(contextOf('{"Statement":[{"Effect":"Allow","Action":"kms:Decrypt" |}]}').slot).toEqual({
      kind: 'other',
    });
    expect(contextOf('{"Statement":[{"Effect":"Allow"|}]}').slot).toEqual({ kind: 'other' });
    // Still inside the statement, for whoever asks which one.
    expect(contextOf('{"Statement":[{"Effect":"Allow"|}]}').statementIndex).toBe(0);
    expect(contextOf('{"Statement":[{"Action":["kms:Decrypt", |]}]}').slot.kind).toBe('action-value');
  });

  it('counts statements, and reads the actions of the statement the cursor is in', () => {
    const context = contextOf(
      '{"Statement":[{"Effect":"Allow","Action":"kms:Encrypt"},{"Effect":"Allow","Action":["kms:Decrypt","kms:CreateGrant"],"Condition":{"StringEquals":{|}}}]}',
    );
    expect(context.statementIndex).toBe(1);
    expect(context.slot).toEqual({ kind: 'condition-key', operator: 'StringEquals' });
    expect(context.actions).toEqual(['kms:Decrypt', 'kms:CreateGrant']);
  });

  it('tells statement keys, Effect values, condition operators and condition values apart', () => {
    expect(contextOf('{"Statement":[{"Effect":"Allow", "|"}]}').slot).toEqual({ kind: 'statement-key' });
    expect(contextOf('{"Statement":{"Effect":"|"}}').slot).toEqual({ kind: 'effect-value' });
    expect(contextOf('{"Statement":[{"Condition":{"|"}}]}').slot).toEqual({ kind: 'condition-operator' });
    expect(
      contextOf('{"Statement":[{"Condition":{"Bool":{"kms:GrantIsForAWSResource":"|"}}}]}').slot,
    ).toEqual({
      kind: 'condition-value',
      operator: 'Bool',
      key: 'kms:GrantIsForAWSResource',
    });
    expect(contextOf('{"Statement":[{"Resource":"|"}]}').slot).toEqual({ kind: 'other' });
  });

  it('finds a policy nested in a larger document (a scenario)', () => {
    const context = contextOf(
      '{"keys":{"arn:aws:kms:us-east-1:111122223333:key/k1":{"policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"|"}]}}}}',
    );
    expect(context.slot).toEqual({ kind: 'action-value', element: 'Action' });
    expect(context.statementIndex).toBe(0);
  });

  it('is not in a statement outside one', () => {
    expect(contextOf('{"Version":"|"}').statementIndex).toBeNull();
    expect(contextOf('{"Version":"|"}').slot).toEqual({ kind: 'other' });
  });

  it('never throws on broken input', () => {
    for (const text of [
      '',
      '{',
      '{"Statement":[{"Action":["kms:',
      '"',
      ']]]',
      '{"Statement":[{"Condition":{"A":{"b":[',
    ]) {
      for (let offset = 0; offset <= text.length; offset += 1)
        expect(() => policyContextAt(text, offset)).not.toThrow();
    }
  });
});

describe('statementIndexAt', () => {
  const policy = `{
  "Statement": [
    { "Sid": "first", "Effect": "Allow", "Action": "kms:*" },
    { "Sid": "second", "Effect": "Deny", "Action": "kms:Decrypt" }
  ]
}`;

  it('returns the index of the statement object around the cursor, wherever it is in it', () => {
    expect(statementIndexAt(policy, policy.indexOf('"first"'))).toBe(0);
    expect(statementIndexAt(policy, policy.indexOf('"Deny"') + 2)).toBe(1);
    expect(statementIndexAt(policy, policy.indexOf('{ "Sid": "second"') + 1)).toBe(1);
  });

  it('returns null outside the statements', () => {
    expect(statementIndexAt(policy, 0)).toBeNull();
    expect(statementIndexAt(policy, policy.indexOf('"Statement"') + 2)).toBeNull();
  });

  it('returns 0 for a single statement object', () => {
    const single = '{"Statement":{"Effect":"Allow","Action":"kms:Encrypt"}}';
    expect(statementIndexAt(single, single.indexOf('kms:'))).toBe(0);
  });
});

describe('hoverTargetAt', () => {
  const policy =
    '{"Statement":[{"Effect":"Allow","Action":["kms:Decrypt"],"Condition":{"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":["dept"]}}}]}';

  it('finds actions, condition operators and condition keys, with their spans', () => {
    const action = hoverTargetAt(policy, policy.indexOf('Decrypt'));
    expect(action).toMatchObject({ kind: 'action', value: 'kms:Decrypt' });
    expect(policy.slice(action!.span.offset, action!.span.offset + action!.span.length)).toBe('kms:Decrypt');
    expect(hoverTargetAt(policy, policy.indexOf('StringEquals'))).toMatchObject({
      kind: 'condition-operator',
      value: 'ForAnyValue:StringEquals',
    });
    expect(hoverTargetAt(policy, policy.indexOf('ContextKeys'))).toMatchObject({
      kind: 'condition-key',
      value: 'kms:EncryptionContextKeys',
      operator: 'ForAnyValue:StringEquals',
    });
  });

  it('returns null for other strings', () => {
    expect(hoverTargetAt(policy, policy.indexOf('Allow'))).toBeNull();
    expect(hoverTargetAt(policy, policy.indexOf('dept'))).toBeNull();
    expect(hoverTargetAt(policy, policy.indexOf('"Effect"') + 2)).toBeNull();
  });
});
