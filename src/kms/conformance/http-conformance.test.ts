/**
 * The conformance corpus through the local endpoint (issue 9 "Conformance"): every case is sent by the real
 * @aws-sdk/client-kms, one client per region, to `serveKms` on 127.0.0.1 (a free port), signed as lab-admin; the
 * SDK's exceptions become the code and message the runner compares. Each case gets a fresh KMS behind the same
 * server. The verdict is the direct run's: the same cases pass, the documented departures are expected.
 */
import * as sdk from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { KmsApi } from '../api';
import { credentialsFor } from '../credentials';
import { createKms, LAB_ADMIN, type Kms } from '../kms';
import { serveKms, type KmsServer } from '../../cli/kms-serve';
import { conformanceEnv, judge, loadCases, nodeConformanceCrypto } from './harness.test-support';
import { runCases } from './run';
import type { ConformanceClient } from './types';

const cases = loadCases('HTTP endpoint, real SDK');

type AnyCommand = new (input: Record<string, unknown>) => Parameters<sdk.KMSClient['send']>[0];

/** The SDK's answer in the runner's terms: the response without `$metadata`, or the exception's code and message. */
function sdkClient(endpoint: string): ConformanceClient {
  const clients = new Map<string, sdk.KMSClient>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) {
      client = new sdk.KMSClient({
        region,
        endpoint,
        credentials: credentialsFor(LAB_ADMIN),
        maxAttempts: 1,
      });
      clients.set(region, client);
    }
    return client;
  };
  return async (operation, input, region) => {
    const Command = (sdk as unknown as Record<string, AnyCommand>)[`${operation}Command`];
    if (!Command) throw { type: 'UnknownOperationException', message: `the SDK has no ${operation}Command` };
    try {
      const output = (await clientFor(region).send(new Command(input))) as unknown as Record<string, unknown>;
      const { $metadata: _metadata, ...response } = output;
      return response;
    } catch (error) {
      if (!(error instanceof sdk.KMSServiceException)) throw error;
      // The SDK writes "UnknownError" when the service sent no message (AWS's InvalidCiphertextException has none).
      throw { type: error.name, message: error.message === 'UnknownError' ? '' : error.message };
    }
  };
}

describe.skipIf(!cases)('KMS conformance corpus through the HTTP endpoint (real @aws-sdk/client-kms)', () => {
  let current: Kms;
  // One server for the run; each case swaps in a fresh KMS behind it (the credentials are the same for every KMS).
  const api: KmsApi = {
    get accountId() {
      return current.accountId;
    },
    get region() {
      return current.region;
    },
    call: (operation, request, caller) => current.call(operation, request, caller),
    credentials: () => current.credentials(),
  };
  let server: KmsServer;

  beforeAll(async () => {
    current = createKms({ region: conformanceEnv.region, credentialsFor });
    server = await serveKms(api, { port: 0 });
  });
  afterAll(() => server?.close());

  it('replays every case through the endpoint', { timeout: 600_000 }, async () => {
    const client = sdkClient(server.endpoint);
    const results = await runCases(cases!, {
      clientForCase: () => {
        current = createKms({ region: conformanceEnv.region, credentialsFor });
        return client;
      },
      env: conformanceEnv,
      crypto: nodeConformanceCrypto,
    });
    judge('HTTP endpoint, real SDK', results);
  });
});
