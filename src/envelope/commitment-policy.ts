/**
 * Commitment policies (ESDK Developer Guide, "Setting your commitment policy"; the ESDK's CommitmentPolicy enum).
 * REQUIRE_ENCRYPT_REQUIRE_DECRYPT is the default of ESDK 2.x and later: encrypt and decrypt committing suites only.
 * REQUIRE_ENCRYPT_ALLOW_DECRYPT also decrypts messages of the non-committing (format 1) suites.
 * FORBID_ENCRYPT_ALLOW_DECRYPT encrypts with non-committing suites only (as ESDK 1.7 did) and decrypts both.
 */
import { EnvelopeError } from './errors';
import { suiteHex, type Suite, type SuiteId } from './suites';

export type CommitmentPolicy =
  'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' | 'REQUIRE_ENCRYPT_ALLOW_DECRYPT' | 'FORBID_ENCRYPT_ALLOW_DECRYPT';

export const COMMITMENT_POLICIES: readonly CommitmentPolicy[] = [
  'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',
  'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
  'FORBID_ENCRYPT_ALLOW_DECRYPT',
];

export const DEFAULT_COMMITMENT_POLICY: CommitmentPolicy = 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT';

/** The suite the ESDK uses when none is chosen: 0x0578, or 0x0378 when the policy forbids committing suites. */
export const defaultSuiteFor = (policy: CommitmentPolicy): SuiteId =>
  policy === 'FORBID_ENCRYPT_ALLOW_DECRYPT' ? 0x0378 : 0x0578;

export function checkPolicy(policy: string): asserts policy is CommitmentPolicy {
  if (!COMMITMENT_POLICIES.includes(policy as CommitmentPolicy))
    throw new EnvelopeError(
      'BAD_OPTION',
      `unknown commitment policy ${JSON.stringify(policy)} (one of ${COMMITMENT_POLICIES.join(', ')})`,
    );
}

export function checkEncryptAllowed(policy: CommitmentPolicy, suite: Suite): void {
  const allowed = policy === 'FORBID_ENCRYPT_ALLOW_DECRYPT' ? !suite.committing : suite.committing;
  if (!allowed)
    throw new EnvelopeError(
      'COMMITMENT_POLICY',
      `commitment policy ${policy} does not encrypt with ${suiteHex(suite.id)} (${suite.name}): ` +
        (suite.committing ? 'it forbids key-committing suites' : 'it requires a key-committing suite'),
    );
}

/** Called once the header's suite is known, before any key is asked for. */
export function checkDecryptAllowed(policy: CommitmentPolicy, suite: Suite, offset: number): void {
  if (policy === 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT' && !suite.committing)
    throw new EnvelopeError(
      'COMMITMENT_POLICY',
      `the message uses ${suiteHex(suite.id)} (${suite.name}), which does not commit to its key; ` +
        `commitment policy ${policy} decrypts only committing suites (0x0478, 0x0578)`,
      offset,
    );
}
