import { AreaPlaceholder } from '../shell/AreaPlaceholder';

/** Placeholder until the simulated KMS issue lands. */
export default function KeysArea() {
  return (
    <AreaPlaceholder>
      Keys will hold the simulated KMS: create keys, aliases and grants, rotate and schedule deletion, and
      call KMS operations as any principal of the scenario.
    </AreaPlaceholder>
  );
}
