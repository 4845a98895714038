/**
 * The key-state table as data (facts §2.5, developer guide "Key states of AWS KMS keys", KS): for each group of
 * operations and each key state, whether the call works or which exception it gets. Origin and key-type rules
 * (rotation of imported keys, import into AWS_KMS keys) are checked by the operations themselves.
 */

export type KeyState =
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Creating'
  | 'Updating';

/** A refusal: the exception and the message, `{arn}` standing for the key ARN. */
export interface StateRefusal {
  type: string;
  message: string;
}

const OK = null;
// Footnotes of the key-state table (KS).
const DISABLED: StateRefusal = { type: 'DisabledException', message: '{arn} is disabled.' }; // KS 1
// KS 2 or 3: AWS-validated GenerateDataKey on a key pending deletion gives KMSInvalidStateException (facts §2.5).
const PENDING_DELETION: StateRefusal = {
  type: 'KMSInvalidStateException',
  message: '{arn} is pending deletion.',
};
const NOT_PENDING_DELETION: StateRefusal = {
  type: 'KMSInvalidStateException',
  message: '{arn} is not pending deletion.',
}; // KS 4
const PENDING_IMPORT: StateRefusal = {
  type: 'KMSInvalidStateException',
  message: '{arn} is pending import.',
}; // KS 5
const UNAVAILABLE: StateRefusal = { type: 'KMSInvalidStateException', message: '{arn} is unavailable.' }; // KS 11
const CREATING: StateRefusal = { type: 'KMSInvalidStateException', message: '{arn} is creating.' }; // KS 14
const UPDATING: StateRefusal = { type: 'KMSInvalidStateException', message: '{arn} is updating.' }; // KS 15
const PENDING_IMPORT_UNSUPPORTED: StateRefusal = {
  type: 'UnsupportedOperationException',
  message: '{arn} origin is EXTERNAL which is not valid for this operation.',
}; // KS 6

export type StateGroup =
  | 'crypto'
  | 'asymmetric'
  | 'create-grant'
  | 'enable-disable'
  | 'rotation'
  | 'rotate-on-demand'
  | 'rotation-status'
  | 'schedule-deletion'
  | 'cancel-deletion'
  | 'import'
  | 'delete-imported'
  | 'manage'
  | 'any';

type Row = Record<KeyState, StateRefusal | null>;
const row = (
  enabled: StateRefusal | null,
  disabled: StateRefusal | null,
  pendingDeletion: StateRefusal | null,
  pendingImport: StateRefusal | null,
  unavailable: StateRefusal | null,
  creating: StateRefusal | null,
  updating: StateRefusal | null,
): Row => ({
  Enabled: enabled,
  Disabled: disabled,
  PendingDeletion: pendingDeletion,
  PendingReplicaDeletion: pendingDeletion,
  PendingImport: pendingImport,
  Unavailable: unavailable,
  Creating: creating,
  Updating: updating,
});

/** KS: the rows of the table, one per group of operations. */
export const KEY_STATE_TABLE: Record<StateGroup, Row> = {
  crypto: row(OK, DISABLED, PENDING_DELETION, PENDING_IMPORT, UNAVAILABLE, CREATING, OK),
  // Asymmetric and HMAC keys cannot be PendingImport in the table (N/A); an imported one behaves like crypto.
  asymmetric: row(OK, DISABLED, PENDING_DELETION, PENDING_IMPORT, UNAVAILABLE, CREATING, OK),
  'create-grant': row(OK, DISABLED, PENDING_DELETION, PENDING_IMPORT, OK, CREATING, OK),
  'enable-disable': row(OK, OK, PENDING_DELETION, PENDING_IMPORT, OK, CREATING, UPDATING),
  rotation: row(OK, DISABLED, PENDING_DELETION, PENDING_IMPORT_UNSUPPORTED, UNAVAILABLE, CREATING, OK),
  // RotateKeyOnDemand: like EnableKeyRotation, but PendingImport → KMSInvalidState "…pending import." (facts §2.5).
  'rotate-on-demand': row(OK, DISABLED, PENDING_DELETION, PENDING_IMPORT, UNAVAILABLE, CREATING, OK),
  'rotation-status': row(OK, OK, OK, PENDING_IMPORT_UNSUPPORTED, UNAVAILABLE, OK, OK),
  'schedule-deletion': row(OK, OK, PENDING_DELETION, OK, OK, OK, UPDATING),
  'cancel-deletion': row(
    NOT_PENDING_DELETION,
    NOT_PENDING_DELETION,
    OK,
    NOT_PENDING_DELETION,
    NOT_PENDING_DELETION,
    NOT_PENDING_DELETION,
    NOT_PENDING_DELETION,
  ),
  // KS 8: a key with imported material pending deletion → KMSInvalidStateException.
  import: row(OK, OK, PENDING_DELETION, OK, UNAVAILABLE, CREATING, UPDATING),
  'delete-imported': row(OK, OK, OK, OK, OK, CREATING, UPDATING),
  manage: row(OK, OK, PENDING_DELETION, OK, OK, OK, OK),
  any: row(OK, OK, OK, OK, OK, OK, OK),
};

/** The refusal of an operation group in a key state, with the ARN filled in; undefined when the call may proceed. */
export function stateRefusal(group: StateGroup, state: KeyState, arn: string): StateRefusal | undefined {
  const refusal = KEY_STATE_TABLE[group][state];
  return refusal ? { type: refusal.type, message: refusal.message.replace('{arn}', arn) } : undefined;
}
