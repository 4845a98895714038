/**
 * Who a service's KMS request is made as. Secrets Manager and S3 call KMS with the principal's identity and
 * permissions (IAM "Forward access sessions"), and KMS sees the service: `kms:ViaService` is
 * `<service>.<region>.amazonaws.com` (CK) and `aws:SourceIp` an address of the service (CA), never the principal's.
 * The request does not carry the principal's VPC endpoint either: the KMS developer guide warns that aws:SourceVpce
 * conditions may deny integrated services "even if the source request ultimately originates in the VPC or from the
 * VPC endpoint" ("Using VPC endpoint conditions in policies with AWS KMS permissions"); the lab always leaves it out.
 */
import type { KmsCaller } from '../api';
import { isKmsError } from '../errors';
import type { Kms } from '../kms';
import { ServiceError } from './errors';

export type IntegratedService = 'secretsmanager' | 's3';

/** Who calls a simulated service: a principal, from an address or through a VPC endpoint of that service. */
export type ServiceCaller = Omit<KmsCaller, 'viaService'>;

export const viaService = (service: IntegratedService, region: string) =>
  `${service}.${region}.amazonaws.com`;

export function callerVia(caller: ServiceCaller, service: IntegratedService, region: string): KmsCaller {
  return {
    principalArn: caller.principalArn,
    ...(caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {}),
    viaService: viaService(service, region),
    region,
  };
}

/**
 * Asks the engine whether the caller may perform the service's own action (through `kms.integration`); a denial
 * becomes the service's error with the engine's AWS-style message.
 */
export async function authorizeServiceAction(
  kms: Kms,
  service: IntegratedService,
  caller: ServiceCaller,
  action: string,
  resource: string,
  deniedCode: string,
): Promise<void> {
  try {
    await kms.integration.authorize(caller, action, resource);
  } catch (error) {
    if (isKmsError(error) && error.type === 'AccessDeniedException')
      throw new ServiceError(service, deniedCode, error.message);
    throw error;
  }
}
