/**
 * CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant (API reference of each; facts §2.2):
 * grants are eventually consistent on the lab clock; a grant token gives immediate use (GR).
 */
import { bytesToHex, toBase64 } from '../bytes';
import { KmsError } from '../errors';
import type { GrantRecord } from '../kms-state';
import { compact, date, type Call, type Operation } from './context';
import { page } from './pagination';

/** A grant token: opaque, URL-safe, and new on every CreateGrant call (API CreateGrant, GrantToken). */
function newToken(call: Call): string {
  return `AQpA${toBase64(call.core.hsm.random(96)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

type Constraints = GrantRecord['constraints'];

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const CreateGrant: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireState('create-grant', key);
  const constraints = request.Constraints as Constraints | undefined;
  // facts §2.2: encryption-context constraints only on symmetric encryption keys.
  if (
    (constraints?.EncryptionContextEquals || constraints?.EncryptionContextSubset) &&
    key.keySpec !== 'SYMMETRIC_DEFAULT'
  )
    throw new KmsError(
      'ValidationException',
      'EncryptionContext is supported only when creating a grant for a symmetric encryption KMS key',
    );
  const grantee = request.GranteePrincipal as string | undefined;
  if (!grantee) throw new KmsError('ValidationException', 'GranteePrincipal is required.');
  const operations = request.Operations as string[];
  const name = request.Name as string | undefined;
  // API CreateGrant, Name: a retry with the same name and parameters returns the same grant, with a new token.
  const existing = name
    ? call.state.grants.find(
        (g) =>
          g.keyArn === key.arn &&
          g.name === name &&
          g.granteePrincipal === grantee &&
          g.retiringPrincipal === request.RetiringPrincipal &&
          sameJson([...g.operations].sort(), [...operations].sort()) &&
          sameJson(g.constraints, constraints),
      )
    : undefined;
  const token = newToken(call);
  if (existing) {
    existing.tokens.push(token);
    call.core.changed();
    call.responseElements = { grantId: existing.grantId };
    return { GrantToken: token, GrantId: existing.grantId };
  }
  const grant: GrantRecord = {
    grantId: bytesToHex(call.core.hsm.random(32)),
    keyArn: key.arn,
    name,
    granteePrincipal: grantee,
    retiringPrincipal: request.RetiringPrincipal as string | undefined,
    operations: [...operations],
    constraints,
    issuingAccount: call.account || key.account,
    creationDate: call.now,
    propagatesAt: call.now + call.core.options.grantPropagationSeconds * 1000,
    tokens: [token],
  };
  call.state.grants.push(grant);
  call.core.changed();
  call.responseElements = { grantId: grant.grantId };
  return { GrantToken: token, GrantId: grant.grantId };
};

function grantEntry(call: Call, grant: GrantRecord): Record<string, unknown> {
  const key = call.state.keys[grant.keyArn];
  return compact({
    KeyId: grant.keyArn,
    GrantId: grant.grantId,
    Name: grant.name,
    CreationDate: date(grant.creationDate),
    GranteePrincipal: grant.granteePrincipal,
    RetiringPrincipal: grant.retiringPrincipal,
    IssuingAccount: `arn:${key?.partition ?? 'aws'}:iam::${grant.issuingAccount}:root`,
    Operations: [...grant.operations],
    Constraints: grant.constraints && { ...grant.constraints },
  });
}

export const ListGrants: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  const grants = call.state.grants.filter(
    (g) =>
      g.keyArn === key.arn &&
      (request.GrantId === undefined || g.grantId === request.GrantId) &&
      (request.GranteePrincipal === undefined || g.granteePrincipal === request.GranteePrincipal),
  );
  const { items, ...rest } = page(grants, request, 50);
  return { Grants: items.map((g) => grantEntry(call, g)), ...rest };
};

export const ListRetirableGrants: Operation = async (call, request) => {
  call.authorize(undefined);
  const grants = call.state.grants.filter(
    (g) =>
      g.retiringPrincipal === request.RetiringPrincipal && call.state.keys[g.keyArn]?.region === call.region,
  );
  const { items, ...rest } = page(grants, request, 50);
  return { Grants: items.map((g) => grantEntry(call, g)), ...rest };
};

function removeGrant(call: Call, grant: GrantRecord): void {
  call.state.grants = call.state.grants.filter((g) => g !== grant);
  call.core.changed();
}

export const RetireGrant: Operation = async (call, request) => {
  const token = request.GrantToken as string | undefined;
  let grant: GrantRecord | undefined;
  if (token !== undefined) {
    grant = call.state.grants.find((g) => g.tokens.includes(token));
    if (!grant) throw new KmsError('InvalidGrantTokenException', 'Invalid grant token');
  } else {
    if (request.KeyId === undefined || request.GrantId === undefined)
      throw new KmsError(
        'ValidationException',
        'Either GrantToken, or both KeyId and GrantId, must be specified.',
      );
    const key = call.key(request.KeyId as string, { alias: false });
    grant = call.state.grants.find((g) => g.keyArn === key.arn && g.grantId === request.GrantId);
    if (!grant) throw new KmsError('NotFoundException', `Grant ID ${String(request.GrantId)} not found`);
  }
  const key = call.used(call.state.keys[grant.keyArn]);
  // GM: the engine decides who may retire (retiring principal, grantee with RetireGrant, the grant's account).
  call.authorize(key, key.arn, { parameters: { grantId: grant.grantId, grantToken: grant.tokens[0] } });
  removeGrant(call, grant);
  return {};
};

export const RevokeGrant: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  const grant = call.state.grants.find((g) => g.keyArn === key.arn && g.grantId === request.GrantId);
  if (!grant) throw new KmsError('NotFoundException', `Grant ID ${String(request.GrantId)} not found`);
  removeGrant(call, grant);
  return {};
};
