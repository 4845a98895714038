import { describe, expect, it } from 'vitest';
import { actionWildcards, describeOperator, hoverMarkdown, suggestionsFor } from './completion-items';
import { policyContextAt } from './policy-context';

function suggest(template: string, schemaCoversElements = true) {
  const offset = template.indexOf('|');
  return suggestionsFor(policyContextAt(template.replace('|', ''), offset), { schemaCoversElements });
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe('action suggestions', () => {
  it('offers every KMS action with its access level, and inserts bare text inside a string', () => {
    const items = suggest('{"Statement":[{"Effect":"Allow","Action":"kms:De|"}]}');
    const decrypt = items.find((i) => i.label === 'kms:Decrypt');
    expect(decrypt).toMatchObject({
      kind: 'action',
      description: 'Write',
      insertText: 'kms:Decrypt',
      snippet: false,
    });
    expect(decrypt!.documentation).toContain('Write');
    expect(items.find((i) => i.label === 'kms:DescribeKey')?.description).toBe('Read');
    expect(items.find((i) => i.label === 'kms:ListKeys')?.description).toBe('List');
  });

  it('quotes the value outside a string', () => {
    const items = suggest('{"Statement":[{"Effect":"Allow","Action": |}]}');
    expect(items.find((i) => i.label === 'kms:Encrypt')?.insertText).toBe('"kms:Encrypt"');
  });

  it('offers wildcards that each cover several actions', () => {
    const wildcards = actionWildcards();
    const byPattern = new Map(wildcards.map((w) => [w.pattern, w.covers]));
    expect(byPattern.get('kms:*')!.length).toBeGreaterThan(40);
    expect(byPattern.get('kms:ReEncrypt*')).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
    expect(byPattern.get('kms:Describe*')).toEqual(expect.arrayContaining(['kms:DescribeKey']));
    expect(byPattern.get('kms:GenerateDataKey*')).toContain('kms:GenerateDataKeyPairWithoutPlaintext');
    for (const covers of byPattern.values()) expect(covers.length).toBeGreaterThanOrEqual(2);
    const items = suggest('{"Statement":{"Action":["|"]}}');
    expect(items.find((i) => i.label === 'kms:Generate*')).toMatchObject({ kind: 'wildcard' });
  });
});

describe('condition suggestions', () => {
  it('offers operators with set prefixes and IfExists, but no set prefix or IfExists on Null', () => {
    const items = labels(suggest('{"Statement":[{"Condition":{"|"}}]}'));
    expect(items).toEqual(
      expect.arrayContaining([
        'StringEquals',
        'StringNotEqualsIfExists',
        'ForAnyValue:StringLike',
        'ForAllValues:StringEquals',
        'Bool',
        'Null',
      ]),
    );
    expect(items).not.toContain('NullIfExists');
    expect(items).not.toContain('ForAnyValue:Null');
  });

  it('writes the whole operator block outside a string', () => {
    const items = suggest('{"Statement":[{"Condition":{ | }}]}');
    expect(items.find((i) => i.label === 'StringEquals')).toMatchObject({
      insertText: '"StringEquals": {$0}',
      snippet: true,
    });
  });

  it('offers only the condition keys valid for the statement actions, plus global keys', () => {
    const decrypt = labels(
      suggest('{"Statement":[{"Action":"kms:Decrypt","Condition":{"StringEquals":{"|"}}}]}'),
    );
    expect(decrypt).toContain('kms:EncryptionContext:<EncryptionContextKey>');
    expect(decrypt).toContain('kms:ViaService');
    expect(decrypt).toContain('aws:SourceVpce');
    // Grant keys belong to CreateGrant, not Decrypt.
    expect(decrypt).not.toContain('kms:GranteePrincipal');
    const grant = labels(
      suggest('{"Statement":[{"Action":["kms:CreateGrant"],"Condition":{"StringEquals":{"|"}}}]}'),
    );
    expect(grant).toContain('kms:GranteePrincipal');
  });

  it('offers every key when the statement uses NotAction or has no Action', () => {
    const all = labels(
      suggest('{"Statement":[{"NotAction":"kms:Decrypt","Condition":{"StringEquals":{"|"}}}]}'),
    );
    expect(all).toContain('kms:GranteePrincipal');
    expect(all).toContain('kms:EncryptionContextKeys');
  });

  it('turns pattern keys into snippets with a placeholder, and ranks multi-valued keys first under a set operator', () => {
    const items = suggest(
      '{"Statement":[{"Action":"kms:Decrypt","Condition":{"ForAnyValue:StringEquals":{|}}}]}',
    );
    const context = items.find((i) => i.label === 'kms:EncryptionContext:<EncryptionContextKey>');
    expect(context?.insertText).toBe('"kms:EncryptionContext:${1:EncryptionContextKey}": "$0"');
    const keys = items.find((i) => i.label === 'kms:EncryptionContextKeys')!;
    expect(keys.insertText).toBe('"kms:EncryptionContextKeys": ["$0"]');
    expect(keys.sortText < context!.sortText).toBe(true);
  });

  it('offers true/false for Bool keys and the Null operator, nothing for free-text values', () => {
    expect(
      labels(suggest('{"Statement":[{"Condition":{"Bool":{"kms:GrantIsForAWSResource":"|"}}}]}')),
    ).toEqual(['true', 'false']);
    expect(
      labels(suggest('{"Statement":[{"Condition":{"Null":{"kms:EncryptionContextKeys":"|"}}}]}')),
    ).toEqual(['true', 'false']);
    expect(suggest('{"Statement":[{"Condition":{"StringEquals":{"kms:ViaService":"|"}}}]}')).toEqual([]);
  });
});

describe('elements and Effect', () => {
  it('leaves them to the schema for policy editors and offers them otherwise (scenario files)', () => {
    expect(suggest('{"Statement":[{"|"}]}', true)).toEqual([]);
    expect(labels(suggest('{"Statement":[{"|"}]}', false))).toEqual(
      expect.arrayContaining(['Effect', 'Action', 'Principal', 'Condition']),
    );
    expect(labels(suggest('{"Statement":[{"Effect":"|"}]}', false))).toEqual(['Allow', 'Deny']);
  });
});

describe('hover', () => {
  it('explains actions, wildcards, operators and keys, and nothing for unknown words', () => {
    expect(hoverMarkdown('action', 'kms:Decrypt')).toContain('kms:Decrypt');
    expect(hoverMarkdown('action', 'kms:ReEncrypt*')).toContain('matches 2 KMS actions');
    expect(hoverMarkdown('action', 'kms:NoSuchAction')).toBeUndefined();
    expect(hoverMarkdown('condition-key', 'kms:EncryptionContext:dept')).toContain('kms:EncryptionContext');
    expect(describeOperator('ForAllValues:StringEqualsIfExists')).toMatch(/missing or empty/);
    expect(describeOperator('StringEqualsIfExists')).toMatch(/absent/);
    expect(describeOperator('NoSuchOperator')).toBeUndefined();
  });
});
