/**
 * Inspects a message that arrives in chunks (a file's stream), given as binary, base64 or hex (detected on the
 * first chunk), without holding it whole. Errors name the byte offset in the message, as `inspectMessage` does.
 */
import { createInspector, type MessageSummary } from './inspect';
import {
  createTextDecoder,
  detectEncoding,
  type MessageEncoding,
  type TextDecoderStream,
} from './message-text';

export async function inspectChunks(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ encoding: MessageEncoding; summary: MessageSummary }> {
  const inspector = createInspector();
  let encoding: MessageEncoding | undefined;
  let text: TextDecoderStream | undefined;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (!text) {
      encoding = detectEncoding(chunk.subarray(0, 64));
      text = createTextDecoder(encoding);
    }
    inspector.push(text.push(chunk));
  }
  if (!text) detectEncoding(new Uint8Array(0)); // "the input is empty"
  inspector.push(text!.finish());
  return { encoding: encoding!, summary: inspector.finish() };
}
