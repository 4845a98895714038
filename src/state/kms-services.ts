/**
 * The simulated Secrets Manager and S3 of the tab's KMS (src/kms/services), one of each per KMS session, saved with
 * it (`kms-session.ts`); the KMS calls they make are in the KMS's trail.
 */
import type { S3 } from '../kms/services/s3';
import type { SecretsManager } from '../kms/services/secrets-manager';
import type { ServiceCaller } from '../kms/services/service-caller';
import { actingPrincipal, kmsChanged } from './kms-acting';
import { browserKms } from './kms-store';
import type { KmsSession } from './kms-session';

/** A documentation address (RFC 5737) for calls over the internet; a private one inside the VPC. */
const INTERNET_IP = '203.0.113.10';
const VPC_IP = '10.0.1.25';
const LAB_ENDPOINT = 'vpce-0a1b2c3d4e5f60718';

/** The VPC endpoint a "through VPC endpoint" call uses: the scenario's first, else one of the lab's. */
export function vpcEndpointOf(session: KmsSession): string {
  return Object.keys(session.scenario.vpcEndpoints ?? {})[0] ?? LAB_ENDPOINT;
}

export type ServiceOutcome = { ok: true; response: unknown } | { ok: false; code: string; message: string };

/** Runs `work` on the session's services as the acting principal, over the internet or through the endpoint. */
export async function callService(
  throughVpc: boolean,
  work: (s: { secrets: SecretsManager; s3: S3 }, caller: ServiceCaller) => Promise<unknown>,
): Promise<ServiceOutcome> {
  const session = await browserKms();
  const pair = { secrets: session.services.secretsManager, s3: session.services.s3 };
  const caller: ServiceCaller = throughVpc
    ? { principalArn: actingPrincipal(session), sourceIp: VPC_IP, vpcEndpointId: vpcEndpointOf(session) }
    : { principalArn: actingPrincipal(session), sourceIp: INTERNET_IP };
  try {
    return { ok: true, response: await work(pair, caller) };
  } catch (error) {
    const code =
      (error as { code?: string; type?: string }).code ?? (error as { type?: string }).type ?? 'Error';
    return { ok: false, code, message: error instanceof Error ? error.message : String(error) };
  } finally {
    session.changed();
    kmsChanged();
  }
}
