/**
 * Who the caller is (the `request` node): the principal ARN classified, the scenario's principal behind it
 * (a session takes its role's policies, lab-design §2), its tags, its context keys and its name for people.
 */
import { classifyPrincipal } from '../arn';
import { makeCaller, type Caller } from '../compile';
import { principalContextEntries, type ContextEntries } from '../context';
import { orgMembershipOf, shortName, type PreparedPrincipal, type World } from '../world';

export interface CallerIdentity {
  caller: Caller;
  principal?: PreparedPrincipal;
  tags?: Record<string, string>;
  /** Notes about who the caller is (unknown principal…), copied into each result. */
  notes: string[];
  /** People's name, e.g. `Finance-Role (session app)`. */
  name: string;
  contextEntries: ContextEntries;
}

/**
 * Who the caller is, cached per principal string for the prepared scenario (bounded: `MAX_CALLERS`). A caller is
 * kept from its second call on: one that calls once (a replayed trail's short sessions) costs no retained memory,
 * so its identity and Principal matches die young instead of filling the cache and the old generation.
 */
export function identityOf(world: World, principal: string): CallerIdentity {
  let identity = world.callers.get(principal) as CallerIdentity | undefined;
  if (!identity) {
    identity = resolveIdentity(world, principal);
    if (world.seenOnce.get(principal)) world.callers.set(principal, identity);
    else world.seenOnce.set(principal, true);
  }
  return identity;
}

/**
 * What every caller of one class shares: the scenario principal behind it, its tags and its context keys. The class
 * of a role session is its role (lab-design §2: a session takes its role's policies; aws:PrincipalArn and
 * aws:PrincipalTag/* are the role's, CA), so a new session of a known role costs only its own name and ARN.
 */
interface CallerClass {
  principal?: PreparedPrincipal;
  roleArn?: string;
  contextEntries: ContextEntries;
}

function resolveIdentity(world: World, principal: string): CallerIdentity {
  const notes: string[] = [];
  const info = classifyPrincipal(principal);
  // A session listed under principals on its own is its own class.
  const classKey =
    info.kind === 'assumed-role' && !world.principals.has(info.arn) && !world.principals.has(principal)
      ? `assumed-role|${info.partition}|${info.account}|${info.roleName}`
      : principal;
  let shared = world.callerClasses.get(classKey) as CallerClass | undefined;
  let caller: Caller;
  if (shared) {
    caller = makeCaller(principal, shared.roleArn);
  } else {
    let prepared = world.principals.get(info.arn) ?? world.principals.get(principal);
    let roleArn: string | undefined;
    if (info.kind === 'assumed-role' || info.kind === 'role') {
      // lab-design §2: a session ARN takes its identity policies from its role.
      roleArn = world.roles.get(`${info.account}|${info.roleName}`);
      if (roleArn && (info.kind === 'assumed-role' || !prepared))
        prepared = world.principals.get(roleArn) ?? prepared;
    }
    caller = makeCaller(principal, roleArn);
    shared = {
      principal: prepared,
      roleArn,
      // The keys that depend only on the caller's class (aws:PrincipalArn is the role's for a session, CA).
      contextEntries: principalContextEntries(
        caller,
        prepared?.spec.tags,
        orgMembershipOf(world, caller.account),
      ),
    };
    world.callerClasses.set(classKey, shared);
  }
  const prepared = shared.principal;
  if (!prepared && info.kind !== 'root' && info.kind !== 'service') {
    notes.push(
      `${principal} is not listed under principals, so it is treated as an identity with no IAM policies.`,
    );
  }
  if (info.kind === 'unknown')
    notes.push(`${principal} is not a principal ARN the lab recognises; no policy can name it.`);
  const name =
    info.kind === 'assumed-role' ? `${info.roleName} (session ${info.sessionName})` : shortName(principal);
  return {
    caller,
    principal: prepared,
    tags: prepared?.spec.tags,
    notes,
    name,
    contextEntries: shared.contextEntries,
  };
}

/** A role session or a federated user: the callers a session policy can apply to (IAM-EVAL). */
export function isSession(caller: Caller): boolean {
  return caller.info.kind === 'assumed-role' || caller.info.kind === 'federated-user';
}
