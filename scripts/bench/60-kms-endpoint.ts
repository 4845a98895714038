/**
 * The local KMS endpoint's speed (issue 9 "Performance": "the same through the local endpoint with the real SDK"):
 * Encrypt+Decrypt round trips of 64 bytes with an encryption context, one at a time, through
 * 1. the typed API (authorization and trail recording included), for the ratio;
 * 2. the real @aws-sdk/client-kms with its in-process requestHandler (SigV4 signing and checking, JSON, no sockets);
 * 3. the real SDK over HTTP to `serveKms` on 127.0.0.1 (what `lab kms serve` runs), keep-alive connections.
 * Figures are printed, nothing is asserted. Run: node --import tsx scripts/bench/60-kms-endpoint.ts
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // the pinned SDK works on Node 20
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { serveKms } from '../../src/cli/kms-serve';
import { credentialsFor } from '../../src/kms/credentials';
import { createKmsHttpHandler } from '../../src/kms/http/index';
import { kmsRequestHandler } from '../../src/kms/http/sdk-request-handler';
import { createKms, LAB_ADMIN } from '../../src/kms/kms';
import { perSecond, printRate } from './lib/rate';

const MIN_SECONDS = 2;

const roundTrips = (run: () => Promise<unknown>) => perSecond(run, { seconds: MIN_SECONDS, warmUp: 50 });
const row = (label: string, value: number, note = '') => printRate(label, value, 'round trips/s', note, 58);

const kms = createKms({ credentialsFor });
const plaintext = new Uint8Array(64).fill(7);
const context = { purpose: 'bench', tenant: 'acme' };

const { KeyMetadata } = (await kms.call('CreateKey', {}, { principalArn: LAB_ADMIN })) as {
  KeyMetadata: { KeyId: string };
};
const keyId = KeyMetadata.KeyId;
const direct = await roundTrips(async () => {
  const caller = { principalArn: LAB_ADMIN };
  const { CiphertextBlob } = (await kms.call(
    'Encrypt',
    { KeyId: keyId, Plaintext: plaintext, EncryptionContext: context },
    caller,
  )) as { CiphertextBlob: Uint8Array };
  await kms.call('Decrypt', { CiphertextBlob, EncryptionContext: context }, caller);
});

async function sdkRoundTrips(client: KMSClient): Promise<number> {
  const key = await client.send(new CreateKeyCommand({}));
  return roundTrips(async () => {
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({ KeyId: key.KeyMetadata!.KeyId, Plaintext: plaintext, EncryptionContext: context }),
    );
    await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
  });
}

const credentials = credentialsFor(LAB_ADMIN);
const inProcess = await sdkRoundTrips(
  new KMSClient({
    region: 'us-east-1',
    endpoint: 'http://kms.lab',
    credentials,
    requestHandler: kmsRequestHandler(createKmsHttpHandler(kms)),
  }),
);

const server = await serveKms(kms, { port: 0 });
let overHttp: number;
try {
  overHttp = await sdkRoundTrips(
    new KMSClient({ region: 'us-east-1', endpoint: server.endpoint, credentials }),
  );
} finally {
  await server.close();
}

console.log('Encrypt + Decrypt of 64 bytes with an encryption context, one call at a time, as lab-admin');
row('typed API (kms.call: validation, engine authorization, trail)', direct);
row(
  'real SDK, in-process requestHandler (SigV4 + JSON 1.1)',
  inProcess,
  `(${((inProcess / direct) * 100).toFixed(0)} % of the typed API)`,
);
row(
  'real SDK over HTTP to lab kms serve on 127.0.0.1',
  overHttp,
  `(${((overHttp / direct) * 100).toFixed(0)} % of the typed API)`,
);
