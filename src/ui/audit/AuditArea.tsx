import { AreaPlaceholder } from '../shell/AreaPlaceholder';

/** Placeholder until the audit issue lands. */
export default function AuditArea() {
  return (
    <AreaPlaceholder>
      Audit will list the CloudTrail events recorded by the simulated KMS, with filters to find who used which
      key, when, and whether the call was denied.
    </AreaPlaceholder>
  );
}
