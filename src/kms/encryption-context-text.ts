/**
 * An encryption context typed by the learner as JSON: an object of string values (API Encrypt, EncryptionContext:
 * "a key-value pair … the keys and values must be strings"). Pure; never throws.
 */
export type ParsedContext =
  { ok: true; context: Record<string, string> | undefined } | { ok: false; message: string };

export function parseContext(text: string): ParsedContext {
  if (text.trim() === '') return { ok: true, context: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `the encryption context is not JSON (${(error as Error).message}).` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'the encryption context must be a JSON object, e.g. {"purpose": "demo"}.' };
  for (const [k, v] of Object.entries(value))
    if (typeof v !== 'string') return { ok: false, message: `the value of "${k}" must be a string.` };
  const context = value as Record<string, string>;
  return { ok: true, context: Object.keys(context).length > 0 ? context : undefined };
}
