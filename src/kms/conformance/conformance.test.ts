/**
 * Replays every case of the AWS-recorded conformance corpus (`../shared/conformance/kms-api/cases.json`) against
 * `createKms` directly, each case on a fresh KMS. Prints the pass count and the cases that do not pass; those that
 * fail for a documented reason (docs/kms.md, "Departures from AWS") are listed in KNOWN_DEPARTURES and expected,
 * every other case must pass. Skips with a notice when the corpus is absent. `http-conformance.test.ts` runs the same
 * cases through the HTTP endpoint with the real SDK.
 */
import { describe, it } from 'vitest';
import { createKms, LAB_ADMIN } from '../kms';
import { conformanceEnv, judge, loadCases, nodeConformanceCrypto } from './harness.test-support';
import { runCases } from './run';

const cases = loadCases('createKms');

describe.skipIf(!cases)('KMS conformance corpus (AWS-recorded)', () => {
  it('replays every case against createKms', { timeout: 600_000 }, async () => {
    const results = await runCases(cases!, {
      clientForCase: () => {
        const kms = createKms({ region: conformanceEnv.region });
        return (operation, input, region) => kms.call(operation, input, { principalArn: LAB_ADMIN, region });
      },
      env: conformanceEnv,
      crypto: nodeConformanceCrypto,
    });
    judge('createKms', results);
  });
});
