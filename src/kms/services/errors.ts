/**
 * An error of a simulated service that calls KMS (Secrets Manager, S3), named like that service's error code
 * (`ResourceNotFoundException`, `NoSuchKey`, `AccessDenied`) with its message.
 */
export class ServiceError extends Error {
  constructor(
    readonly service: 'secretsmanager' | 's3',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
