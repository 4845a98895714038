/**
 * The contract between the parts of the simulated KMS (lab-design §4): the core (`kms.ts` and its modules) offers a
 * `KmsApi`; the JSON 1.1 HTTP handler (`http/`) and `lab kms serve` call it; the crypto module (`crypto/`) is the
 * HSM the core uses. Requests and responses are AWS's shapes: PascalCase members, blobs as `Uint8Array`,
 * timestamps as `Date`. The HTTP layer converts base64 and epoch seconds with the shape table in `http/shapes.ts`.
 */

/** Who makes a call, as the endpoint or the UI established it. */
export interface KmsCaller {
  /** The principal ARN: `arn:aws:iam::<acct>:user/<name>`, `arn:aws:sts::<acct>:assumed-role/<Role>/<session>`, `arn:aws:iam::<acct>:root`. */
  principalArn: string;
  /** The access key the call was signed with (CloudTrail `userIdentity.accessKeyId`). */
  accessKeyId?: string;
  /** CloudTrail `sourceIPAddress` and `aws:SourceIp`; an AWS service's name when `viaService` is set. */
  sourceIp?: string;
  userAgent?: string;
  /** The service that called on the principal's behalf (`kms:ViaService`, e.g. `secretsmanager.us-east-1.amazonaws.com`). */
  viaService?: string;
  /** The VPC endpoint the call came through (`aws:SourceVpce`). */
  vpcEndpointId?: string;
  /** The region the call was sent to (defaults to the KMS's region). */
  region?: string;
  /**
   * The request id the transport answers with (the `x-amzn-RequestId` response header), recorded as CloudTrail's
   * `requestID` so the two can be matched as on AWS; a fresh one when absent.
   */
  requestId?: string;
}

/** Credentials that sign as one principal (lab-design §4 "simulated credentials per principal"). */
export interface KmsCredentials {
  principalArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type KmsRequest = Record<string, unknown>;
export type KmsResponse = Record<string, unknown>;

export interface KmsApi {
  /** The account and region this KMS serves by default. */
  readonly accountId: string;
  readonly region: string;
  /**
   * Calls `operation` (e.g. `Encrypt`) as `caller`. Validates the request as AWS does, authorizes it with the engine
   * against the live state, records a CloudTrail event, and returns the response or throws a `KmsError`
   * (`UnknownOperationException` for an operation KMS does not have).
   */
  call(operation: string, request: KmsRequest, caller: KmsCaller): Promise<KmsResponse>;
  /** Credentials for every principal the scenario knows (users, one `…/lab` session per role, every account's root). */
  credentials(): KmsCredentials[];
}
