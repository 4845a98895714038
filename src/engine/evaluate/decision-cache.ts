/**
 * The decision cache (issue 8 "Fast with many callers"): a traced decision remembered under the decision-relevant
 * shape of its request, so that a request differing only in what no policy of the prepared scenario can read is
 * answered by re-stamping the remembered result with its own values instead of being decided again.
 *
 * The shape is every request field, written as it is, except three things a scenario's policies may not read:
 * - the values of encryption-context keys no condition names and no grant constraint holds (the set of keys, in
 *   order, is always in the shape: kms:EncryptionContextKeys and grant constraints read it);
 * - the source address, when no policy names aws:SourceIp or aws:VpcSourceIp; when they are named only as keys of
 *   IpAddress-family conditions with literal ranges, the shape holds which ranges contain it instead of its value;
 * - the session name of a role session, when nothing in the scenario can tell two sessions of a role apart (no
 *   session ARN, no aws:userid or aws:username, no session-name key anywhere): the session is then its role (a
 *   session takes its role's policies and aws:PrincipalArn is the role's, lab-design §2, CA).
 * Those values appear in a result only in its context and in the words naming the caller or the address, which a hit
 * re-stamps.
 * Time needs no place in the shape: aws:CurrentTime is fixed per prepared scenario (`world.now`), and a request's
 * `context` overriding it is part of the shape. Requests with a session policy are not cached (it is compiled per
 * request id and may read anything).
 *
 * A hit returns a new top-level result whose inner objects are shared with other results: results are read-only.
 */
import type { RequestSpec } from '../../scenario/types';
import type { EvaluationResult, RequestContext } from '../types';
import { classifyPrincipal } from '../arn';
import { parseConditionOperator } from '../conditions';
import { compileCidr, parseIp, type ParsedIp } from '../match';
import type { World } from '../world';

/** Decisions remembered per prepared scenario (about 30 KB each with the trace, so at most ~30 MB). */
export const MAX_DECISIONS = 1024;
/** Shapes decided once, remembered so that the second decision of a shape is kept (a string of ~300 bytes each). */
export const MAX_DECISION_SHAPES = 4096;
/** Misses in a row after which shapes are only sampled, and how often then. */
const MISSES_BEFORE_SAMPLING = MAX_DECISION_SHAPES;
const SAMPLE_EVERY = 16;

/** What the prepared scenario's policies and grants can read of a request, found once from its text. */
export interface ScenarioReads {
  sourceIp: boolean;
  /**
   * When the address is read only as the key of IpAddress/NotIpAddress conditions with literal ranges, those ranges:
   * an address is then known by which of them hold it. Undefined when something reads it otherwise (exact value).
   */
  sourceIpRanges?: ((ip: ParsedIp) => boolean)[];
  /** The scenario as text, to tell whether an address also appears as other words (then it is kept exact). */
  text: string;
  /** Some condition or grant reads every encryption-context value (a variable or wildcard key, EncryptionContextEquals). */
  everyContextValue: boolean;
  /** Lower-cased encryption-context keys whose values a condition or grant reads. */
  contextKeys: Set<string>;
  /** No policy, grant or name in the scenario can tell two sessions of one role apart. */
  sessionsAlike: boolean;
}

/** Words that can single out one role session (its ARN, its name, its user id); any of them turns sharing off. */
const SESSION_WORDS =
  /assumed-role|:sts:|aws:userid|aws:username|sourceidentity|rolesessionname|federated|\(session /i;
const CONTEXT_KEY = /kms:encryptioncontext:([^"}\s]*)/g;

export function scenarioReads(world: World): ScenarioReads {
  // The scenario as data, without its requests (their principals are sessions): every policy, grant, key and name.
  const written = JSON.stringify({ ...world.scenario, requests: undefined });
  const text = written.toLowerCase();
  const contextKeys = new Set<string>();
  let everyContextValue = false;
  for (const match of text.matchAll(CONTEXT_KEY)) {
    const name = match[1];
    if (name === '' || /[$*?]/.test(name)) everyContextValue = true;
    else contextKeys.add(name);
  }
  // GC: a grant constraint compares encryption-context pairs; Equals compares all of them.
  for (const key of world.keys.values())
    for (const grant of key.grants) {
      if (grant.constraints?.encryptionContextEquals) everyContextValue = true;
      for (const name of Object.keys(grant.constraints?.encryptionContextSubset ?? {}))
        contextKeys.add(name.toLowerCase());
    }
  const sourceIp = text.includes('aws:sourceip') || text.includes('aws:vpcsourceip');
  return {
    sourceIp,
    sourceIpRanges: sourceIp ? addressRanges(world.scenario, text) : undefined,
    text: written,
    everyContextValue,
    contextKeys,
    sessionsAlike: !SESSION_WORDS.test(text),
  };
}

const ADDRESS_KEYS = new Set(['aws:sourceip', 'aws:vpcsourceip']);
const ADDRESS_MENTION = /aws:(?:vpc)?sourceip/g;

/**
 * The literal ranges of every IpAddress-family condition on the address keys, or undefined when the text names those
 * keys anywhere else (another operator, a variable, a policy written as text, a name): then the exact value counts.
 * IAM-OPS: an IpAddress operator compares the address with each range; IAM-VAR: variables stay literal there.
 */
function addressRanges(scenario: unknown, text: string): ((ip: ParsedIp) => boolean)[] | undefined {
  const ranges: ((ip: ParsedIp) => boolean)[] = [];
  let counted = 0;
  let readable = true;
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    for (const [member, inner] of Object.entries(value)) {
      if (member === 'Condition' && inner !== null && typeof inner === 'object' && !Array.isArray(inner))
        for (const [operator, block] of Object.entries(inner as Record<string, unknown>)) {
          if (parseConditionOperator(operator)?.family !== 'IpAddress') continue;
          if (block === null || typeof block !== 'object') continue;
          for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
            if (!ADDRESS_KEYS.has(key.toLowerCase())) continue;
            counted++;
            const list = Array.isArray(values) ? (values as unknown[]) : [values];
            for (const range of list) {
              if (typeof range !== 'string') readable = false;
              else {
                // A range that does not compile never matches (conditions.ts): it tells no addresses apart.
                const cidr = compileCidr(range);
                if (cidr) ranges.push(cidr);
              }
            }
          }
        }
      walk(inner);
    }
  };
  walk({ ...(scenario as object), requests: undefined });
  const mentions = text.match(ADDRESS_MENTION)?.length ?? 0;
  return readable && mentions === counted ? ranges : undefined;
}

/** Addresses written this plainly appear in words as written (no escapes), so a hit can re-stamp them. */
const PLAIN_ADDRESS = /^[0-9A-Fa-f:.]+$/;

/** The address as the scenario's ranges see it: its version and which ranges hold it; undefined to keep it exact. */
function addressPart(ranges: ((ip: ParsedIp) => boolean)[], ip: string): string | undefined {
  if (!PLAIN_ADDRESS.test(ip)) return undefined;
  const parsed = parseIp(ip);
  if (parsed === undefined) return undefined;
  let part = `ip${parsed.version}:`;
  for (const range of ranges) part += range(parsed) ? '1' : '0';
  return part;
}

interface CachedDecision {
  result: EvaluationResult;
  principal: string;
  /** The caller's name in the words (`App (session work)`), re-stamped on a hit from another session. */
  name: string;
  sourceIp: string | undefined;
  /** The address may be re-stamped: it was keyed by its ranges and appears in no other words of the entry. */
  sharedAddress: boolean;
  encryptionContext: Record<string, string> | undefined;
  /** Where the words name the caller (index 1), the address (2) or both (3), found on the first hit that needs it. */
  places: (Places | undefined)[];
}

interface Shape {
  key: string;
  /** The session's name in the words, when sessions of its role share decisions. */
  sessionName?: string;
  /** The address is keyed by the ranges holding it, not as written. */
  sharedAddress: boolean;
}

const FIELD = '\u0001';

function part(value: unknown): string {
  return value === undefined ? '~' : JSON.stringify(value);
}

/** The decision-relevant shape of a request; undefined when it is not cached. */
function shapeOf(reads: ScenarioReads, world: World, request: RequestSpec): Shape | undefined {
  if (request.sessionPolicy !== undefined || typeof request.principal !== 'string') return undefined;
  const ec = request.encryptionContext;
  if (ec !== undefined && (typeof ec !== 'object' || ec === null || Array.isArray(ec))) return undefined;
  const overrides = request.context !== undefined;
  // With overrides, every value is kept as it is: they may name any key, with any spelling (§7.3).
  const exactValues = overrides || reads.everyContextValue;
  const rest =
    part(request.action) +
    FIELD +
    part(request.keyId) +
    FIELD +
    part(request.grantTokens) +
    FIELD +
    part(request.vpcEndpoint) +
    FIELD +
    part(request.viaService) +
    FIELD +
    part(request.parameters) +
    FIELD +
    part(request.context) +
    FIELD +
    part(request.expect) +
    FIELD +
    part(request.description);
  let contextPart = '~';
  if (ec !== undefined) {
    contextPart = '';
    for (const name of Object.keys(ec)) {
      const value = ec[name];
      if (typeof value !== 'string') return undefined;
      contextPart += JSON.stringify(name);
      if (exactValues || reads.contextKeys.has(name.toLowerCase()))
        contextPart += '=' + JSON.stringify(value);
      contextPart += ',';
    }
  }
  const ip = request.sourceIp;
  // A call via a service names the caller's address in a note (evaluate/index.ts).
  let ipPart = part(ip);
  let sharedAddress = false;
  if (!overrides && request.viaService === undefined && typeof ip === 'string') {
    if (!reads.sourceIp) ipPart = 'ip';
    else if (reads.sourceIpRanges !== undefined) {
      const ranges = addressPart(reads.sourceIpRanges, ip);
      if (ranges !== undefined) {
        ipPart = ranges;
        sharedAddress = true;
      }
    }
  }
  const principal = request.principal;
  let who = principal;
  let sessionName: string | undefined;
  if (reads.sessionsAlike && !overrides && principal.includes(':assumed-role/')) {
    const info = classifyPrincipal(principal);
    if (
      info.kind === 'assumed-role' &&
      info.sessionName !== undefined &&
      principal ===
        `arn:${info.partition}:sts::${info.account}:assumed-role/${info.roleName}/${info.sessionName}` &&
      !world.principals.has(principal) &&
      !world.principals.has(info.arn) &&
      // The caller's ARN could then be mistaken for words of the request's own (a parameter naming a session).
      !SESSION_WORDS.test(rest) &&
      !SESSION_WORDS.test(contextPart)
    ) {
      who = `session of ${info.partition}|${info.account}|${info.roleName}`;
      sessionName = `${info.roleName} (session ${info.sessionName})`;
    }
  }
  return { key: who + FIELD + rest + FIELD + contextPart + FIELD + ipPart, sessionName, sharedAddress };
}

/**
 * Decides a request through the cache: `decide` runs on a miss. Untraced decisions (the access matrix, whose cells
 * are all different) are not cached.
 */
export function cachedDecision(
  world: World,
  request: RequestSpec,
  trace: boolean,
  decide: () => EvaluationResult,
): EvaluationResult {
  if (!trace) return decide();
  // After a long run of misses (every request distinct), only one request in `SAMPLE_EVERY` looks for its shape:
  // building and hashing a shape is then mostly wasted, and a sample still finds repeats when they come back.
  const misses = world.decisionMisses;
  if (misses >= MISSES_BEFORE_SAMPLING && misses % SAMPLE_EVERY !== 0) {
    world.decisionMisses++;
    return decide();
  }
  const reads = (world.reads ??= scenarioReads(world));
  const shape = shapeOf(reads, world, request);
  if (shape === undefined) return decide();
  const cached = world.decisions.get(shape.key) as CachedDecision | undefined;
  if (cached !== undefined) {
    const hit = restamp(cached, request, shape);
    if (hit !== undefined) {
      world.decisionMisses = 0;
      return hit;
    }
  }
  world.decisionMisses++;
  const result = decide();
  // Kept from a shape's second decision: a shape seen once (every request distinct) costs no retained result, whose
  // ~30 KB would otherwise fill the old generation and make the collector the costliest part of a decision.
  if (!world.decisionShapesSeen.get(shape.key)) {
    world.decisionShapesSeen.set(shape.key, true);
    return result;
  }
  const ip = request.sourceIp;
  world.decisions.set(shape.key, {
    result,
    principal: request.principal,
    name: shape.sessionName ?? '',
    sourceIp: ip,
    // An address that is also other words (a range, a name, a value of the request) cannot be told from them.
    sharedAddress:
      shape.sharedAddress &&
      typeof ip === 'string' &&
      !reads.text.includes(ip) &&
      !shape.key.includes(ip) &&
      !request.principal.includes(ip),
    encryptionContext: request.encryptionContext,
    places: [],
  });
  return result;
}

/** The remembered result with this request's own values; undefined when it cannot be made (then decide again). */
function restamp(cached: CachedDecision, request: RequestSpec, shape: Shape): EvaluationResult | undefined {
  const base = cached.result;
  const context = restampContext(base.context, cached, request);
  if (context === undefined) return undefined;
  const ip = request.sourceIp;
  const newAddress = ip !== cached.sourceIp;
  if (newAddress && (!cached.sharedAddress || !shape.sharedAddress)) return undefined;
  const newCaller = request.principal !== cached.principal;
  if (!newCaller && !newAddress) return { ...base, id: request.id, context };
  if (newCaller && (shape.sessionName === undefined || cached.name === '')) return undefined;
  // The caller's own words could then hold the address (a session named like one).
  if (newCaller && newAddress && request.principal.includes(ip as string)) return undefined;
  const which = (newCaller ? 1 : 0) + (newAddress ? 2 : 0);
  const mentions = [
    newCaller ? cached.principal : undefined,
    newCaller ? cached.name : undefined,
    newAddress ? cached.sourceIp : undefined,
  ];
  const places = (cached.places[which] ??= placesNaming(base, mentions));
  const result = restampAt(base, places, [
    request.principal,
    shape.sessionName ?? '',
    ip ?? '',
  ]) as EvaluationResult;
  result.id = request.id;
  result.context = context;
  return result;
}

/** The context with this request's source address and encryption-context values where the remembered one has its own. */
function restampContext(
  context: RequestContext,
  cached: CachedDecision,
  request: RequestSpec,
): RequestContext | undefined {
  let copy: RequestContext | undefined;
  const ip = request.sourceIp;
  if (ip !== cached.sourceIp) {
    for (const name of ['aws:SourceIp', 'aws:VpcSourceIp']) {
      const values = context[name];
      if (values === undefined) continue;
      if (values.length !== 1 || values[0] !== cached.sourceIp) return undefined;
      (copy ??= { ...context })[name] = [ip as string];
    }
  }
  const ec = request.encryptionContext;
  const before = cached.encryptionContext;
  if (ec !== undefined && before !== undefined && ec !== before) {
    for (const name of Object.keys(ec)) {
      if (ec[name] === before[name]) continue;
      const entry = `kms:EncryptionContext:${name}`;
      const values = context[entry];
      if (values === undefined) continue;
      if (values.length !== 1 || values[0] !== before[name]) return undefined;
      (copy ??= { ...context })[entry] = [ec[name]];
    }
  }
  return copy ?? context;
}

/**
 * Where the words name the caller or the address: for each member of an object or array, either the words cut around
 * those mentions (`Words`) or the places inside it. A hit copies only the objects on the way to those words; the rest
 * stays shared.
 */
type Places = Map<string | number, Places | Words>;

/** Words cut at each mention: text, mention, text, …, text; a mention is the index of what it names (ARN, name, address). */
class Words {
  constructor(readonly parts: (string | number)[]) {}

  with(values: string[]): string {
    let text = '';
    for (const part of this.parts) text += typeof part === 'number' ? values[part] : part;
    return text;
  }
}

/** The words cut at each mention (the earliest, then the longest, first), in one pass; undefined when there is none. */
function cutWords(text: string, mentions: (string | undefined)[]): Words | undefined {
  const parts: (string | number)[] = [];
  let from = 0;
  for (;;) {
    let at = -1;
    let which = -1;
    for (let i = 0; i < mentions.length; i++) {
      const mention = mentions[i];
      if (mention === undefined || mention === '') continue;
      const found = text.indexOf(mention, from);
      if (
        found >= 0 &&
        (at < 0 || found < at || (found === at && mention.length > mentions[which]!.length))
      ) {
        at = found;
        which = i;
      }
    }
    if (at < 0) break;
    parts.push(text.slice(from, at), which);
    from = at + mentions[which]!.length;
  }
  if (parts.length === 0) return undefined;
  parts.push(text.slice(from));
  return new Words(parts);
}

/** The places of every string of the result (outside its id and context) that holds one of the mentions. */
function placesNaming(result: EvaluationResult, mentions: (string | undefined)[]): Places {
  const walk = (value: unknown): Places | Words | undefined => {
    if (typeof value === 'string') return cutWords(value, mentions);
    if (value === null || typeof value !== 'object') return undefined;
    const places: Places = new Map();
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [i, item])
      : Object.entries(value);
    for (const [member, item] of entries) {
      const inner = walk(item);
      if (inner !== undefined) places.set(member, inner);
    }
    return places.size > 0 ? places : undefined;
  };
  const places: Places = new Map();
  for (const [member, value] of Object.entries(result)) {
    if (member === 'id' || member === 'context') continue;
    const inner = walk(value);
    if (inner !== undefined) places.set(member, inner);
  }
  return places;
}

/** A copy of `value` with the words at `places` naming the new values. */
function restampAt(value: unknown, places: Places, values: string[]): unknown {
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  for (const [member, inner] of places)
    copy[member] = inner instanceof Words ? inner.with(values) : restampAt(copy[member], inner, values);
  return copy;
}
