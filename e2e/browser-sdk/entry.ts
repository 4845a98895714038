/**
 * Bundled for the page by `e2e/kms-browser-sdk.spec.ts` (Vite, library mode): the real @aws-sdk/client-kms
 * with the lab's in-process requestHandler over the tab's KMS endpoint (`window.__kms.http`). The SDK signs
 * every request; the endpoint checks the signature and acts as the signing principal.
 */
import {
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisabledException,
  EncryptCommand,
  KMSClient,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { kmsRequestHandler } from '../../src/kms/http/sdk-request-handler';

function clientFor(principalArn: string): KMSClient {
  const hook = window.__kms!;
  const credentials = hook.credentials().find((c) => c.principalArn === principalArn);
  if (!credentials) throw new Error(`no credentials for ${principalArn}`);
  return new KMSClient({
    region: 'us-east-1',
    endpoint: 'http://kms.lab',
    credentials,
    maxAttempts: 1,
    requestHandler: kmsRequestHandler(hook.http),
  });
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
    return null;
  } catch (error) {
    return {
      name: (error as Error).name,
      message: (error as Error).message,
      isServiceException: error instanceof KMSServiceException,
      isDisabledException: error instanceof DisabledException,
      status: (error as KMSServiceException).$metadata?.httpStatusCode,
    };
  }
}

async function check(root: string, app: string, keyId: string) {
  const admin = clientFor(root);
  const encrypted = await admin.send(
    new EncryptCommand({ KeyId: 'alias/app', Plaintext: new TextEncoder().encode('through the SDK') }),
  );
  const decrypted = await admin.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
  const described = await admin.send(new DescribeKeyCommand({ KeyId: 'alias/app' }));
  const denied = await failure(
    clientFor(app).send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: new Uint8Array([1]) })),
  );
  await admin.send(new DisableKeyCommand({ KeyId: keyId }));
  const disabled = await failure(
    admin.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: new Uint8Array([1]) })),
  );
  return {
    blobIsBytes: encrypted.CiphertextBlob instanceof Uint8Array,
    plaintext: new TextDecoder().decode(decrypted.Plaintext),
    keyIdOfDecrypt: decrypted.KeyId,
    creationDateIsDate: described.KeyMetadata?.CreationDate instanceof Date,
    keyState: described.KeyMetadata?.KeyState,
    denied,
    disabled,
  };
}

declare global {
  interface Window {
    __sdkCheck?: typeof check;
  }
}
window.__sdkCheck = check;
