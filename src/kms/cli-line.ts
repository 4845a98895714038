/**
 * A KMS request as an AWS CLI v2 command line the learner can run against `lab kms serve` (AWS CLI Command
 * Reference, "aws kms"): the operation in kebab case, each member as `--kebab-case`, blobs read raw from files with
 * `fileb://` (CLI v2 reads a bare blob argument as base64), maps and structures as JSON, lists as separate values.
 * The acting principal's lab credentials go in front as environment variables. Pure.
 */
import type { KmsCredentials, KmsRequest } from './api';

export interface CliLine {
  command: string;
  /** The files the command reads (`fileb://<name>`), with their bytes. */
  files: { name: string; bytes: Uint8Array }[];
}

const kebab = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();

/** POSIX shell quoting: bare when safe, else single quotes. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function cliLine(
  operation: string,
  request: KmsRequest,
  options: { endpoint: string; region: string; credentials?: KmsCredentials },
): CliLine {
  const files: CliLine['files'] = [];
  const parts: string[] = [];
  const creds = options.credentials;
  if (creds) {
    parts.push(
      `AWS_ACCESS_KEY_ID=${creds.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${shellQuote(creds.secretAccessKey)}`,
    );
    if (creds.sessionToken) parts.push(`AWS_SESSION_TOKEN=${shellQuote(creds.sessionToken)}`);
  }
  parts.push('aws', 'kms', kebab(operation), '--endpoint-url', options.endpoint, '--region', options.region);
  for (const [member, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    const flag = `--${kebab(member)}`;
    if (value instanceof Uint8Array) {
      const name = `${kebab(member)}.bin`;
      files.push({ name, bytes: value });
      parts.push(flag, `fileb://${name}`);
    } else if (value instanceof Date) {
      parts.push(flag, value.toISOString());
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      if (value.length > 0) parts.push(flag, ...value.map(shellQuote));
    } else if (typeof value === 'boolean') {
      parts.push(value ? flag : `--no-${kebab(member)}`);
    } else if (typeof value === 'object') {
      parts.push(flag, shellQuote(JSON.stringify(value)));
    } else {
      parts.push(flag, shellQuote(String(value)));
    }
  }
  return { command: parts.join(' '), files };
}
