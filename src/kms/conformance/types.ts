/**
 * The conformance corpus (`../shared/conformance/kms-api/README.md`): cases of request steps with what real AWS
 * answered. These types follow its "Case format" section.
 */

export interface ConformanceCase {
  id: string;
  source?: string;
  description?: string;
  uncertain?: string;
  steps: ConformanceStep[];
}

export interface ConformanceStep {
  op: string;
  input: Record<string, unknown>;
  expect: StepExpectation;
  basis?: string;
  region?: 'secondary';
  paginate?: boolean;
  poll?: { timeoutSeconds: number; intervalSeconds: number };
}

export type StepExpectation =
  | { ok: true; fields: Record<string, unknown> }
  | { error: string; message?: string; messageRegex?: string; recordedMessage?: string };

/** The KMS under test: throws an error carrying the AWS code (`type`, `name` or `__type`) and `message`. */
export type ConformanceClient = (
  operation: string,
  input: Record<string, unknown>,
  region: string,
) => Promise<Record<string, unknown>>;

/** The placeholders `{{$partition}}`, `{{$region}}`, `{{$region2}}`, `{{$account}}`, `{{$callerArn}}`. */
export interface ConformanceEnvironment {
  partition: string;
  region: string;
  region2: string;
  account: string;
  callerArn: string;
}

/** The client-side cryptography some directives need (`$privateKey`, `$wrap`, `$verifies`, `$random`). */
export interface ConformanceCrypto {
  /** A fresh private key as unencrypted PKCS#8 DER (RSA with e = 65537) and its SubjectPublicKeyInfo DER. */
  privateKey(keySpec: string): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }>;
  /** `material` encrypted under the SPKI public key with RSAES_OAEP_SHA_1/256 or RSA_AES_KEY_WRAP_SHA_256. */
  wrap(publicKey: Uint8Array, algorithm: string, material: Uint8Array): Promise<Uint8Array>;
  verify(input: {
    publicKey: Uint8Array;
    signingAlgorithm: string;
    messageType: 'RAW' | 'DIGEST';
    message: Uint8Array;
    signature: Uint8Array;
    pssSaltLength?: number;
  }): Promise<boolean>;
  random(numberOfBytes: number): Uint8Array;
}

export interface CaseResult {
  id: string;
  passed: boolean;
  /** The step that failed (0-based) and why. */
  failedStep?: number;
  reason?: string;
}
