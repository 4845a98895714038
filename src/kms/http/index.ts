/** The KMS JSON 1.1 endpoint, runtime-neutral: see handler.ts. */
export {
  createKmsHttpHandler,
  MAX_REQUEST_BYTES,
  type KmsHttpCall,
  type KmsHttpHandler,
  type KmsHttpHandlerOptions,
  type KmsHttpRequest,
  type KmsHttpResponse,
} from './handler';
export { encodeResponse } from './wire';
export { kmsRequestHandler } from './sdk-request-handler';
