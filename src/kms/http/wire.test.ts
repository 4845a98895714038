import { describe, expect, it } from 'vitest';
import type { KmsResponse } from '../api';
import { isKmsError } from '../errors';
import { createKms, LAB_ADMIN } from '../kms';
import type { WireShape } from './model-shapes';
import { WIRE_SHAPES } from './shapes';
import { decodeRequest, encodeResponse } from './wire';

const bytes = (...values: number[]) => new Uint8Array(values);

function serializationMessage(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isKmsError(error) && error.type === 'SerializationException') return error.message;
    throw error;
  }
  return undefined;
}

describe('decodeRequest', () => {
  it('turns base64 into bytes and epoch seconds into dates where the model has them, and nothing else', () => {
    expect(
      decodeRequest('Encrypt', {
        KeyId: 'alias/x',
        Plaintext: 'AQID',
        EncryptionContext: { a: 'AQID' },
        Unknown: 'AQID',
      }),
    ).toEqual({
      KeyId: 'alias/x',
      Plaintext: bytes(1, 2, 3),
      EncryptionContext: { a: 'AQID' },
      Unknown: 'AQID',
    });
    const imported = decodeRequest('ImportKeyMaterial', { ImportToken: '', ValidTo: 1767225600.5 });
    expect(imported.ImportToken).toEqual(bytes());
    expect((imported.ValidTo as Date).toISOString()).toBe('2026-01-01T00:00:00.500Z');
    expect(decodeRequest('Decrypt', { Recipient: { AttestationDocument: 'AA==' } })).toEqual({
      Recipient: { AttestationDocument: bytes(0) },
    });
  });

  it('leaves null to the core (which says "Member must not be null")', () => {
    expect(decodeRequest('Encrypt', { Plaintext: null })).toEqual({ Plaintext: null });
  });

  it('answers SerializationException for a blob or timestamp of the wrong type, or bad base64', () => {
    expect(serializationMessage(() => decodeRequest('Encrypt', { Plaintext: 12 }))).toBe(
      "Unexpected value type at 'plaintext': expected a base64 string",
    );
    expect(serializationMessage(() => decodeRequest('Encrypt', { Plaintext: 'not base64!' }))).toBe(
      "Invalid base64 value at 'plaintext'",
    );
    expect(serializationMessage(() => decodeRequest('Encrypt', { Plaintext: 'AQIDB' }))).toBe(
      "Invalid base64 value at 'plaintext'",
    );
    expect(serializationMessage(() => decodeRequest('ImportKeyMaterial', { ValidTo: '2026-01-01' }))).toBe(
      "Unexpected value type at 'validTo': expected a number of seconds since 1970",
    );
    expect(serializationMessage(() => decodeRequest('Decrypt', { Recipient: 'x' }))).toBe(
      "Unexpected value type at 'recipient': expected a structure",
    );
  });
});

describe('encodeResponse', () => {
  it('writes bytes as base64 and dates as epoch seconds, at any depth', () => {
    expect(
      encodeResponse({
        CiphertextBlob: bytes(1, 2, 3),
        KeyMetadata: { CreationDate: new Date('2026-01-01T00:00:00.250Z'), Enabled: true },
        Aliases: [{ CreationDate: new Date(0), AliasName: 'alias/a' }],
        Missing: undefined,
      }),
    ).toEqual({
      CiphertextBlob: 'AQID',
      KeyMetadata: { CreationDate: 1767225600.25, Enabled: true },
      Aliases: [{ CreationDate: 0, AliasName: 'alias/a' }],
    });
  });
});

/** Every path of a Uint8Array or Date in a response, as `Member.List[].Member`. */
function typedPaths(value: unknown, at = ''): string[] {
  if (value instanceof Uint8Array || value instanceof Date) return [at];
  if (Array.isArray(value)) return value.flatMap((v) => typedPaths(v, `${at}[]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => typedPaths(v, at ? `${at}.${k}` : k));
  return [];
}

function modelPaths(shape: WireShape | undefined, at = ''): string[] {
  if (shape === undefined) return [];
  if (shape === 'blob' || shape === 'timestamp') return [at];
  if (Array.isArray(shape)) return modelPaths(shape[0], `${at}[]`);
  return Object.entries(shape).flatMap(([k, v]) => modelPaths(v, at ? `${at}.${k}` : k));
}

describe("the core's responses against the model's output shapes", () => {
  it('carry bytes and dates only where the model has blobs and timestamps', async () => {
    const kms = createKms({ clock: new Date('2026-01-01T00:00:00Z') });
    const caller = { principalArn: LAB_ADMIN };
    const responses: [string, KmsResponse][] = [];
    const call = async (operation: string, request: Record<string, unknown>) => {
      const response = await kms.call(operation, request, caller);
      responses.push([operation, response]);
      return response;
    };
    const { KeyMetadata } = (await call('CreateKey', {})) as { KeyMetadata: { KeyId: string } };
    const keyId = KeyMetadata.KeyId;
    const rsa = (await call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })) as {
      KeyMetadata: { KeyId: string };
    };
    const hmacKey = (await call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })) as {
      KeyMetadata: { KeyId: string };
    };
    const external = (await call('CreateKey', { Origin: 'EXTERNAL' })) as { KeyMetadata: { KeyId: string } };
    await call('CreateAlias', { AliasName: 'alias/wire', TargetKeyId: keyId });
    const { CiphertextBlob } = (await call('Encrypt', { KeyId: keyId, Plaintext: bytes(1) })) as {
      CiphertextBlob: Uint8Array;
    };
    await call('Decrypt', { CiphertextBlob });
    await call('ReEncrypt', { CiphertextBlob, DestinationKeyId: keyId });
    await call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    await call('GenerateDataKeyWithoutPlaintext', { KeyId: keyId, NumberOfBytes: 16 });
    await call('GenerateDataKeyPair', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' });
    await call('GenerateDataKeyPairWithoutPlaintext', { KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' });
    await call('GenerateRandom', { NumberOfBytes: 8 });
    const { Signature } = (await call('Sign', {
      KeyId: rsa.KeyMetadata.KeyId,
      Message: bytes(1),
      SigningAlgorithm: 'RSASSA_PSS_SHA_256',
    })) as { Signature: Uint8Array };
    await call('Verify', {
      KeyId: rsa.KeyMetadata.KeyId,
      Message: bytes(1),
      Signature,
      SigningAlgorithm: 'RSASSA_PSS_SHA_256',
    });
    await call('GetPublicKey', { KeyId: rsa.KeyMetadata.KeyId });
    await call('GenerateMac', {
      KeyId: hmacKey.KeyMetadata.KeyId,
      Message: bytes(1),
      MacAlgorithm: 'HMAC_SHA_256',
    });
    await call('GetParametersForImport', {
      KeyId: external.KeyMetadata.KeyId,
      WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      WrappingKeySpec: 'RSA_2048',
    });
    await call('CreateGrant', { KeyId: keyId, GranteePrincipal: LAB_ADMIN, Operations: ['Decrypt'] });
    await call('ListGrants', { KeyId: keyId });
    await call('ListAliases', {});
    await call('ListKeys', {});
    await call('EnableKeyRotation', { KeyId: keyId });
    await call('GetKeyRotationStatus', { KeyId: keyId });
    await call('RotateKeyOnDemand', { KeyId: keyId });
    await call('ListKeyRotations', { KeyId: keyId });
    await call('DescribeKey', { KeyId: keyId });
    await call('ScheduleKeyDeletion', { KeyId: external.KeyMetadata.KeyId, PendingWindowInDays: 7 });
    await call('DescribeKey', { KeyId: external.KeyMetadata.KeyId });

    const outside: string[] = [];
    for (const [operation, response] of responses) {
      const allowed = new Set(modelPaths(WIRE_SHAPES[operation].output));
      for (const p of typedPaths(response)) if (!allowed.has(p)) outside.push(`${operation} ${p}`);
    }
    expect(outside).toEqual([]);
    // The check saw real blobs and dates.
    expect(responses.flatMap(([, r]) => typedPaths(r)).length).toBeGreaterThan(20);
  });
});
