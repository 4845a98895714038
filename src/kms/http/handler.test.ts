/**
 * The JSON 1.1 handler with the real @aws-sdk/client-kms, in process (its requestHandler; the SDK signs every
 * request and the handler checks the signature), and AWS's answers to malformed requests: the SDK's own signer
 * signs bodies and headers changed at its build step, so each request reaches the check it is about.
 */
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  DisabledException,
  EncryptCommand,
  KMSClient,
  KMSServiceException,
  ListAliasesCommand,
  CreateAliasCommand,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import type { KmsApi, KmsCredentials } from '../api';
import { credentialsFor } from '../credentials';
import { KmsError } from '../errors';
import { createKms, LAB_ADMIN } from '../kms';
import type { Scenario } from '../../scenario/types';
import { createKmsHttpHandler, type KmsHttpCall, type KmsHttpRequest } from './handler';
import { kmsRequestHandler } from './sdk-request-handler';

const BOB = 'arn:aws:iam::111122223333:user/bob';
const SCENARIO: Scenario = {
  version: 2,
  title: 'Admin and Bob',
  principals: {
    [LAB_ADMIN]: {
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    },
    [BOB]: { policies: [] },
  },
};

function setup(options: { maxBodyBytes?: number } = {}) {
  const kms = createKms({ scenario: SCENARIO, credentialsFor });
  const calls: KmsHttpCall[] = [];
  const bodies: unknown[] = [];
  const inner = createKmsHttpHandler(kms, { ...options, onCall: (call) => calls.push(call) });
  const handler = async (request: KmsHttpRequest) => {
    const response = await inner(request);
    bodies.push(JSON.parse(new TextDecoder().decode(response.body)));
    return response;
  };
  const client = (
    principalArn = LAB_ADMIN,
    change?: (request: { headers: Record<string, string>; body: unknown; method: string }) => void,
    region = 'us-east-1',
  ) => {
    const credentials = credentialsFor(principalArn);
    const sdk = new KMSClient({
      region,
      endpoint: 'http://kms.lab',
      credentials,
      requestHandler: kmsRequestHandler(handler),
      maxAttempts: 1,
    });
    // Runs before the SDK signs (finalizeRequest step), so the changed request is still signed right.
    if (change)
      sdk.middlewareStack.add(
        (next) => async (args) => {
          change(args.request as never);
          return next(args);
        },
        { step: 'build' },
      );
    return sdk;
  };
  return { kms, handler, client, calls, bodies };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as KMSServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('the real @aws-sdk/client-kms through the handler', () => {
  it('gets Date timestamps, Uint8Array blobs and the right results', async () => {
    const { client } = setup();
    const admin = client();
    const created = await admin.send(new CreateKeyCommand({ Description: 'sdk' }));
    expect(created.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    expect(created.KeyMetadata?.Description).toBe('sdk');
    const keyId = created.KeyMetadata!.KeyId!;
    const plaintext = new TextEncoder().encode('hello, KMS');
    const encrypted = await admin.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: { purpose: 'test' } }),
    );
    expect(encrypted.CiphertextBlob).toBeInstanceOf(Uint8Array);
    expect(encrypted.KeyId).toBe(created.KeyMetadata!.Arn);
    const decrypted = await admin.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { purpose: 'test' },
      }),
    );
    expect(decrypted.Plaintext).toEqual(plaintext);
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/sdk', TargetKeyId: keyId }));
    const aliases = await admin.send(new ListAliasesCommand({}));
    const alias = aliases.Aliases?.find((a) => a.AliasName === 'alias/sdk');
    expect(alias?.CreationDate).toBeInstanceOf(Date);
    expect(alias?.CreationDate?.getTime()).toBe(created.KeyMetadata!.CreationDate!.getTime());
  });

  it("raises the SDK's own exceptions: AccessDeniedException, DisabledException, NotFoundException", async () => {
    const { client, calls } = setup();
    const admin = client();
    const { KeyMetadata } = await admin.send(new CreateKeyCommand({}));
    const denied = await failure(
      client(BOB).send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: new Uint8Array([1]) })),
    );
    // KMS's model has no AccessDeniedException shape (facts §2.1), so the SDK raises its service exception by name.
    expect(denied).toBeInstanceOf(KMSServiceException);
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.$fault).toBe('client');
    expect(denied.message).toContain(`User: ${BOB} is not authorized to perform: kms:Encrypt`);
    expect(denied.$metadata.httpStatusCode).toBe(400);
    expect(calls.at(-1)).toMatchObject({
      operation: 'Encrypt',
      principalArn: BOB,
      errorType: 'AccessDeniedException',
    });

    await admin.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const disabled = await failure(
      admin.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: new Uint8Array([1]) })),
    );
    expect(disabled).toBeInstanceOf(DisabledException);
    expect(disabled.message).toBe(`${KeyMetadata!.Arn} is disabled.`);

    const missing = await failure(
      admin.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: new Uint8Array([1]) })),
    );
    expect(missing).toBeInstanceOf(NotFoundException);
  });

  it('calls in the region the request was signed for', async () => {
    const { client } = setup();
    const { KeyMetadata } = await client(LAB_ADMIN, undefined, 'eu-west-1').send(new CreateKeyCommand({}));
    expect(KeyMetadata?.Arn).toMatch(/^arn:aws:kms:eu-west-1:111122223333:key\//);
    const elsewhere = await failure(
      client().send(new EncryptCommand({ KeyId: KeyMetadata!.Arn, Plaintext: new Uint8Array([1]) })),
    );
    expect(elsewhere).toBeInstanceOf(NotFoundException);
  });

  it('records the signing principal and access key in CloudTrail', async () => {
    const { kms, client } = setup();
    await client().send(new CreateKeyCommand({}));
    const record = kms.trail.records.at(-1)!;
    expect(record.eventName).toBe('CreateKey');
    expect(record.userIdentity).toMatchObject({
      arn: LAB_ADMIN,
      accessKeyId: credentialsFor(LAB_ADMIN).accessKeyId,
    });
    expect(record.sourceIPAddress).toBe('127.0.0.1');
  });

  it('answers with the request id CloudTrail records, for successes and failures', async () => {
    const { kms, client } = setup();
    const created = await client().send(new CreateKeyCommand({}));
    expect(created.$metadata.requestId).toBe(kms.trail.records.at(-1)!.requestID);
    const denied = await failure(
      client(BOB).send(
        new EncryptCommand({ KeyId: created.KeyMetadata!.Arn, Plaintext: new Uint8Array([1]) }),
      ),
    );
    const deniedRecord = kms.trail.records.at(-1)!;
    expect(deniedRecord.errorCode).toBe('AccessDenied');
    expect(denied.$metadata.requestId).toBe(deniedRecord.requestID);
    expect(denied.$metadata.requestId).not.toBe(created.$metadata.requestId);
  });
});

describe('malformed requests answer as AWS does', () => {
  const encrypt = () => new EncryptCommand({ KeyId: 'alias/x', Plaintext: new Uint8Array([1]) });
  const answer = async (change: Parameters<ReturnType<typeof setup>['client']>[1]) => {
    const { client, calls, bodies } = setup();
    const error = await failure(client(LAB_ADMIN, change).send(encrypt()));
    return {
      name: error.name,
      message: error.message,
      status: error.$metadata.httpStatusCode,
      note: calls[0].note,
      body: bodies[0],
    };
  };

  it('JSON that does not parse, or is not an object: SerializationException', async () => {
    expect(await answer((r) => void (r.body = '{"KeyId": "alias/x",'))).toMatchObject({
      name: 'SerializationException',
      status: 400,
      message: expect.stringContaining('The request body is not valid JSON'),
    });
    expect(await answer((r) => void (r.body = '[1, 2]'))).toMatchObject({
      name: 'SerializationException',
      message: 'The request body must be a JSON object.',
    });
  });

  it('members of the wrong type: SerializationException naming the member', async () => {
    expect(await answer((r) => void (r.body = '{"KeyId": 5, "Plaintext": "AQ=="}'))).toMatchObject({
      name: 'SerializationException',
      status: 400,
      message: expect.stringContaining("'keyId'"),
    });
    expect(await answer((r) => void (r.body = '{"KeyId": "alias/x", "Plaintext": "%%%"}'))).toMatchObject({
      name: 'SerializationException',
      message: "Invalid base64 value at 'plaintext'",
    });
  });

  it('an unknown or missing target: UnknownOperationException without a message', async () => {
    const unknown = await answer((r) => void (r.headers['x-amz-target'] = 'TrentService.Frobnicate'));
    expect(unknown).toMatchObject({ name: 'UnknownOperationException', status: 400 });
    expect(unknown.body).toEqual({ __type: 'UnknownOperationException' });
    const other = await answer((r) => void (r.headers['x-amz-target'] = 'DynamoDB_20120810.ListTables'));
    expect(other).toMatchObject({
      name: 'UnknownOperationException',
      note: expect.stringContaining('DynamoDB'),
    });
  });

  it('another method or content type reaches no operation (the log says why)', async () => {
    expect(await answer((r) => void (r.method = 'PUT'))).toMatchObject({
      name: 'UnknownOperationException',
      status: 400,
      note: 'method PUT',
    });
    expect(await answer((r) => void (r.headers['content-type'] = 'application/json'))).toMatchObject({
      name: 'UnknownOperationException',
      note: expect.stringContaining('application/json'),
    });
  });

  it('a body over the limit: 413 RequestEntityTooLargeException, before anything else', async () => {
    const { handler } = setup({ maxBodyBytes: 100 });
    const response = await handler({ method: 'POST', url: '/', headers: {}, body: new Uint8Array(101) });
    expect(response.status).toBe(413);
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({
      __type: 'RequestEntityTooLargeException',
      message: 'Request entity too large',
    });
  });

  it('no signature at all: 403 MissingAuthenticationTokenException, as JSON 1.1 with the usual headers', async () => {
    const { handler } = setup();
    const response = await handler({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
      body: new TextEncoder().encode('{}'),
    });
    expect(response.status).toBe(403);
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(response.headers.date).getTime()).not.toBeNaN();
  });

  it('credentials the lab does not know: UnrecognizedClientException', async () => {
    const { handler } = setup();
    const stranger = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://kms.lab',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      requestHandler: kmsRequestHandler(handler),
      maxAttempts: 1,
    });
    const error = await failure(stranger.send(encrypt()));
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
  });

  it('a client with the wrong secret: InvalidSignatureException', async () => {
    const { handler } = setup();
    const wrong: KmsCredentials = { ...credentialsFor(LAB_ADMIN), secretAccessKey: 'x'.repeat(40) };
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://kms.lab',
      credentials: wrong,
      requestHandler: kmsRequestHandler(handler),
      maxAttempts: 1,
    });
    const error = await failure(client.send(encrypt()));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('a role session must send its session token', async () => {
    const session = 'arn:aws:sts::111122223333:assumed-role/Reader/lab';
    const kms = createKms({ scenario: SCENARIO, credentialsFor });
    const api: KmsApi = { ...kms, call: kms.call, credentials: () => [credentialsFor(session)] };
    const handler = createKmsHttpHandler(api);
    const { sessionToken: _dropped, ...withoutToken } = credentialsFor(session);
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://kms.lab',
      credentials: withoutToken,
      requestHandler: kmsRequestHandler(handler),
      maxAttempts: 1,
    });
    expect((await failure(client.send(encrypt()))).name).toBe('UnrecognizedClientException');
  });

  it('never throws: an API that fails unexpectedly is a 500 KMSInternalException', async () => {
    const kms = createKms({ scenario: SCENARIO, credentialsFor });
    const broken: KmsApi = {
      accountId: kms.accountId,
      region: kms.region,
      credentials: () => kms.credentials(),
      call: async () => {
        throw new TypeError('boom');
      },
    };
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://kms.lab',
      credentials: credentialsFor(LAB_ADMIN),
      requestHandler: kmsRequestHandler(createKmsHttpHandler(broken)),
      maxAttempts: 1,
    });
    const error = await failure(client.send(encrypt()));
    expect(error.name).toBe('KMSInternalException');
    expect(error.$metadata.httpStatusCode).toBe(500);
    expect(error.message).toBe('The lab KMS failed: TypeError: boom');
  });

  it('survives arbitrary garbage', async () => {
    const { handler } = setup();
    const garbage: KmsHttpRequest[] = [
      { method: '', url: '', headers: {}, body: new Uint8Array() },
      {
        method: 'POST',
        url: '/',
        headers: { authorization: 'AWS4-HMAC-SHA256' },
        body: new Uint8Array([0xff]),
      },
      {
        method: 'POST',
        url: '%%%',
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=z',
          'x-amz-date': 'x',
        },
        body: new Uint8Array([0xff, 0xfe]),
      },
      {
        method: 'POST',
        url: '/',
        headers: { authorization: ['a', 'b'], date: ['x'] },
        body: new Uint8Array(),
      },
    ];
    for (const request of garbage) {
      const response = await handler(request);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(new TextDecoder().decode(response.body)).__type).toMatch(/Exception$/);
    }
  });

  it('passes KmsErrors with their own status (a 500 stays a 500)', async () => {
    const kms = createKms({ scenario: SCENARIO, credentialsFor });
    const failing: KmsApi = {
      ...kms,
      credentials: () => kms.credentials(),
      call: async () => {
        throw new KmsError('DependencyTimeoutException', 'slow', 500);
      },
    };
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: 'http://kms.lab',
      credentials: credentialsFor(LAB_ADMIN),
      requestHandler: kmsRequestHandler(createKmsHttpHandler(failing)),
      maxAttempts: 1,
    });
    const error = await failure(client.send(encrypt()));
    expect(error.name).toBe('DependencyTimeoutException');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });
});
