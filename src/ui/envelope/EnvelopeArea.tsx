import { AreaPlaceholder } from '../shell/AreaPlaceholder';

/** Placeholder until the envelope-encryption issue lands. */
export default function EnvelopeArea() {
  return (
    <AreaPlaceholder>
      Envelope will show envelope encryption step by step: a data key from KMS encrypts your data, and the
      message format that stores the encrypted data key beside it can be inspected byte by byte.
    </AreaPlaceholder>
  );
}
