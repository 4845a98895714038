/** The bar the KMS areas share (acting as, lab clock) and the view of a KMS error with "Explain in Lab". */
export { KmsBar } from './KmsBar';
export { KmsErrorView } from './KmsErrorView';
export { useKmsSession } from './use-kms';
