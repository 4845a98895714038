/**
 * The KMS keyring's `KmsApi` over HTTP: the AWS KMS JSON 1.1 protocol through @aws-sdk/client-kms (SigV4-signed
 * with the credentials in the environment), so `lab envelope --kms-endpoint` works against `lab kms serve` or any
 * KMS endpoint. The caller is whoever the credentials belong to; the keyring's caller argument is not sent.
 */
import type { KmsApi } from '../kms/api';

/** The operations the KMS keyring calls. */
type Operation = 'GenerateDataKey' | 'Encrypt' | 'Decrypt';

export function httpKms(endpoint: string, region: string): Pick<KmsApi, 'call'> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  let client:
    | Promise<(operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>>
    | undefined;
  const connect = async () => {
    if (!accessKeyId || !secretAccessKey)
      throw new Error('--kms-endpoint needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    // The SDK warns on every run that its releases after January 2027 need Node 22; the pinned one works on the
    // lab's Node 20, and the warning would bury the command's own output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const sdk = await import('@aws-sdk/client-kms');
    const kms = new sdk.KMSClient({
      endpoint,
      region,
      credentials: { accessKeyId, secretAccessKey, sessionToken },
    });
    const commands = {
      GenerateDataKey: sdk.GenerateDataKeyCommand,
      Encrypt: sdk.EncryptCommand,
      Decrypt: sdk.DecryptCommand,
    } as Record<Operation, new (input: never) => Parameters<typeof kms.send>[0]>;
    return async (operation: string, input: Record<string, unknown>) => {
      const Command = commands[operation as Operation];
      if (!Command) throw new Error(`the envelope keyring does not call ${operation}`);
      return (await kms.send(new Command(input as never))) as unknown as Record<string, unknown>;
    };
  };
  return {
    async call(operation, request) {
      client ??= connect();
      return (await client)(operation, request);
    },
  };
}
