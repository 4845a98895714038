import { describe, expect, it } from 'vitest';
import { credentialsFor } from './credentials';
import { cliLine, shellQuote } from './cli-line';

const options = { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' };

describe('cliLine', () => {
  it('writes Encrypt as aws kms encrypt with the blob in a file and the context as JSON', () => {
    const plaintext = new TextEncoder().encode('hi');
    const line = cliLine(
      'Encrypt',
      { KeyId: 'alias/app', Plaintext: plaintext, EncryptionContext: { purpose: "it's" } },
      options,
    );
    expect(line.command).toBe(
      `aws kms encrypt --endpoint-url http://127.0.0.1:4566 --region us-east-1 --key-id alias/app --plaintext fileb://plaintext.bin --encryption-context '{"purpose":"it'\\''s"}'`,
    );
    expect(line.files).toEqual([{ name: 'plaintext.bin', bytes: plaintext }]);
  });

  it('names operations and members in kebab case, lists as values, booleans as flags', () => {
    const line = cliLine(
      'GenerateDataKey',
      { KeyId: 'k', KeySpec: 'AES_256', GrantTokens: ['t1', 't2'], DryRun: false, NumberOfBytes: 32 },
      options,
    );
    expect(line.command).toContain('aws kms generate-data-key ');
    expect(line.command).toContain(
      '--key-spec AES_256 --grant-tokens t1 t2 --no-dry-run --number-of-bytes 32',
    );
    expect(cliLine('ReEncrypt', { CiphertextBlob: new Uint8Array(1) }, options).command).toContain(
      're-encrypt --endpoint-url http://127.0.0.1:4566 --region us-east-1 --ciphertext-blob fileb://ciphertext-blob.bin',
    );
    expect(cliLine('VerifyMac', {}, options).command).toContain('aws kms verify-mac ');
  });

  it("puts the principal's lab credentials in front, with the session token of a role session", () => {
    const session = credentialsFor('arn:aws:sts::111122223333:assumed-role/App/lab');
    const line = cliLine('DescribeKey', { KeyId: 'k' }, { ...options, credentials: session });
    expect(line.command.startsWith(`AWS_ACCESS_KEY_ID=${session.accessKeyId} AWS_SECRET_ACCESS_KEY=`)).toBe(
      true,
    );
    expect(line.command).toContain(`AWS_SESSION_TOKEN=${shellQuote(session.sessionToken!)}`);
  });

  it('quotes for the shell only when needed', () => {
    expect(shellQuote('alias/app')).toBe('alias/app');
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
