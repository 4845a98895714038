/** The conformance interpreter: replays `../shared/conformance/kms-api/cases.json` against a KMS client. */
export { runCase, runCases } from './run';
export type * from './types';
