/**
 * Text nested past the engine's depth limit (json-depth.ts) in the policy editor: completion, hover and the
 * statement highlight give nothing instead of throwing "Maximum call stack size exceeded" from jsonc-parser,
 * and the lab's policy text reader refuses it with a message.
 */
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../state/lab-policies';
import { hoverTargetAt, policyContextAt, statementIndexAt } from './policy-context';

const deep = `{"Statement": [{"Effect": "Allow", "Action": ${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`;
const inEffect = deep.indexOf('Allow') + 2;

describe('a policy nested 100,000 levels deep in the editor', () => {
  it('gets no completion, hover or statement, without throwing', () => {
    expect(policyContextAt(deep, inEffect)).toMatchObject({ statementIndex: null, slot: { kind: 'other' } });
    expect(hoverTargetAt(deep, inEffect)).toBeNull();
    expect(statementIndexAt(deep, inEffect)).toBeNull();
  });

  it('is refused by the lab with the depth limit, not read into the scenario', () => {
    expect(parsePolicyText(deep)).toEqual({
      ok: false,
      message: expect.stringMatching(/nested deeper than 64 levels/) as string,
    });
  });

  it('a normal policy still gets its context', () => {
    const text = '{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt"}]}';
    expect(statementIndexAt(text, text.indexOf('Allow'))).toBe(0);
  });
});
