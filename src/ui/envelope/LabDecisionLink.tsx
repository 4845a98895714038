/**
 * A link from a KMS call of the walkthrough to the Lab's flowchart of that authorization decision.
 * INTEGRATION(i-keys): `src/state/open-in-lab.ts` (the Keys area's helper that opens a KMS call in the Lab) is
 * not merged yet; when it is, this renders a button that calls it with the call's operation, request and caller.
 * Until then it renders nothing, rather than a link that does not work.
 */
import type { KmsExchange } from '../../state/envelope-walkthrough';

export function LabDecisionLink(_props: { call: KmsExchange }) {
  return null;
}
