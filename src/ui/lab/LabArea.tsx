/** The Lab area. Placeholder until the lab issue lands: the editors, request builder and flowchart go here. */
export default function LabArea() {
  return (
    <p>
      The lab will hold the policy editors, the request builder and the animated authorization flowchart that
      shows why a request to a KMS key is allowed or denied.
    </p>
  );
}
