/**
 * An error of the simulated KMS, named like the AWS exception (`type` is the `__type` without a namespace, e.g.
 * `NotFoundException`) with AWS's message text. The typed API throws it; the JSON 1.1 handler turns it into
 * `{"__type", "message"}` with `httpStatus` (400, or 500 for KMSInternalException; facts §2.1).
 */
export class KmsError extends Error {
  readonly type: string;
  readonly httpStatus: number;

  constructor(type: string, message: string, httpStatus = type === 'KMSInternalException' ? 500 : 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.httpStatus = httpStatus;
  }
}

export const isKmsError = (value: unknown): value is KmsError => value instanceof KmsError;
