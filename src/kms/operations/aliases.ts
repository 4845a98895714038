/**
 * CreateAlias, UpdateAlias, DeleteAlias, ListAliases (API reference of each; facts §2.2): one alias names one key
 * in one account and Region; a key has up to 50 aliases; `alias/aws/` is reserved (the engine refuses it, AL).
 */
import { KmsError } from '../errors';
import { aliasArnOf, type AliasRecord } from '../kms-state';
import { date, type Call, type Operation } from './context';
import { page } from './pagination';

const MAX_ALIASES_PER_KEY = 50; // Resource quotas: aliases per KMS key

function requirePrefix(name: string): void {
  // facts §2.2 [aws-validated] (conformance createalias-missing-prefix).
  if (!name.startsWith('alias/'))
    throw new KmsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
}

function existingAlias(call: Call, name: string): AliasRecord {
  const arn = aliasArnOf(call.region, call.account, name);
  const alias = call.state.aliases[arn];
  if (!alias) throw new KmsError('NotFoundException', `Alias ${arn} is not found.`);
  return alias;
}

export const CreateAlias: Operation = async (call, request) => {
  const name = request.AliasName as string;
  requirePrefix(name);
  const key = call.key(request.TargetKeyId as string, { alias: false });
  call.authorize(key, request.TargetKeyId as string);
  const arn = aliasArnOf(call.region, call.account, name);
  if (call.state.aliases[arn])
    throw new KmsError('AlreadyExistsException', `An alias with the name ${arn} already exists`);
  call.requireCustomerManaged(key);
  call.requireState('manage', key);
  if (
    Object.values(call.state.aliases).filter((a) => a.targetKeyArn === key.arn).length >= MAX_ALIASES_PER_KEY
  )
    throw new KmsError('LimitExceededException', `Too many aliases for ${key.arn}.`);
  call.state.aliases[arn] = {
    name,
    arn,
    account: call.account,
    region: call.region,
    targetKeyArn: key.arn,
    creationDate: call.now,
    lastUpdatedDate: call.now,
  };
  call.core.changed();
  return {};
};

export const UpdateAlias: Operation = async (call, request) => {
  const name = request.AliasName as string;
  requirePrefix(name);
  const alias = existingAlias(call, name);
  const current = call.used(call.state.keys[alias.targetKeyArn]);
  const key = call.key(request.TargetKeyId as string, { alias: false });
  call.authorize(key, request.TargetKeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('manage', key); // KS 10: the new target may not be pending deletion
  // API UpdateAlias: the new key must have the same type and key usage as the current one.
  const kind = (spec: string) =>
    spec === 'SYMMETRIC_DEFAULT' ? 'symmetric' : spec.startsWith('HMAC') ? 'hmac' : 'asymmetric';
  if (kind(current.keySpec) !== kind(key.keySpec) || current.keyUsage !== key.keyUsage)
    throw new KmsError(
      'ValidationException',
      `${key.arn} is not the same key type and key usage as the alias's current key ${current.arn}.`,
    );
  alias.targetKeyArn = key.arn;
  alias.lastUpdatedDate = call.now;
  call.core.changed();
  return {};
};

export const DeleteAlias: Operation = async (call, request) => {
  const name = request.AliasName as string;
  requirePrefix(name);
  const alias = existingAlias(call, name);
  const key = call.used(call.state.keys[alias.targetKeyArn]);
  call.authorize(key, key.arn);
  delete call.state.aliases[alias.arn];
  call.core.changed();
  return {};
};

export const ListAliases: Operation = async (call, request) => {
  const key = request.KeyId !== undefined ? call.key(request.KeyId as string, { alias: false }) : undefined;
  call.authorize(undefined);
  const aliases = Object.values(call.state.aliases).filter(
    (a) => a.account === call.account && a.region === call.region && (!key || a.targetKeyArn === key.arn),
  );
  const { items, ...rest } = page(aliases, request, 50);
  return {
    Aliases: items.map((a) => ({
      AliasName: a.name,
      AliasArn: a.arn,
      TargetKeyId: call.state.keys[a.targetKeyArn]?.keyId,
      CreationDate: date(a.creationDate),
      LastUpdatedDate: date(a.lastUpdatedDate),
    })),
    ...rest,
  };
};
