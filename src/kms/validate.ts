/**
 * Request validation against the model (model.ts), with AWS's ValidationException text (AWS common errors;
 * conformance messages such as "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy
 * constraint: Member must have value greater than or equal to 1"). Members are named lowerCamelCase, list elements
 * `tags.1.member.tagKey` (1-based). Members the model does not know are ignored, as AWS's JSON services do
 * [inferred]; a value of the wrong type is a SerializationException, as the JSON 1.1 protocol gives.
 */
import { KmsError } from './errors';
import type { Member } from './model';

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** A structure's members with their lowerCamelCase names, listed once per structure. */
const memberLists = new WeakMap<Record<string, Member>, [string, Member, string][]>();
function membersOf(members: Record<string, Member>): [string, Member, string][] {
  let list = memberLists.get(members);
  if (!list) {
    list = Object.entries(members).map(([name, member]) => [name, member, lowerFirst(name)]);
    memberLists.set(members, list);
  }
  return list;
}

/** The model's patterns, compiled once (validation runs on every call). */
const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let pattern = patterns.get(source);
  if (!pattern) patterns.set(source, (pattern = new RegExp(`^(?:${source})$`)));
  return pattern;
}

/** The start of a constraint message; blob values are not echoed (conformance encrypt-symmetric-over-4096-bytes). */
const shown = (value: string | number | undefined, where: string) =>
  `Value ${value === undefined ? '' : `'${value}' `}at '${where}' failed to satisfy constraint: Member must`;

function serialization(where: string): never {
  throw new KmsError('SerializationException', `Unexpected value type at '${where}'`);
}

function checkMember(value: unknown, member: Member, where: string, errors: string[]): void {
  if (value === undefined || value === null) {
    if (member.required)
      errors.push(`Value null at '${where}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  switch (member.type) {
    case 'string': {
      if (typeof value !== 'string') serialization(where);
      if (member.enum && !member.enum.includes(value))
        errors.push(`${shown(value, where)} satisfy enum value set: [${member.enum.join(', ')}]`);
      if (member.min !== undefined && value.length < member.min)
        errors.push(`${shown(value, where)} have length greater than or equal to ${member.min}`);
      if (member.max !== undefined && value.length > member.max)
        errors.push(`${shown(value, where)} have length less than or equal to ${member.max}`);
      if (member.pattern && value.length > 0 && !patternOf(member.pattern).test(value))
        errors.push(`${shown(value, where)} satisfy regular expression pattern: ${member.pattern}`);
      return;
    }
    case 'blob': {
      if (!(value instanceof Uint8Array)) serialization(where);
      if (member.min !== undefined && value.length < member.min)
        errors.push(`${shown(undefined, where)} have length greater than or equal to ${member.min}`);
      if (member.max !== undefined && value.length > member.max)
        errors.push(`${shown(undefined, where)} have length less than or equal to ${member.max}`);
      return;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) serialization(where);
      if (member.min !== undefined && value < member.min)
        errors.push(`${shown(value, where)} have value greater than or equal to ${member.min}`);
      if (member.max !== undefined && value > member.max)
        errors.push(`${shown(value, where)} have value less than or equal to ${member.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') serialization(where);
      return;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) serialization(where);
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
        serialization(where);
      for (const v of Object.values(value as object)) if (typeof v !== 'string') serialization(where);
      return;
    case 'list': {
      if (!Array.isArray(value)) serialization(where);
      if (member.max !== undefined && value.length > member.max)
        errors.push(
          `Value '[${value.join(', ')}]' at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${member.max}`,
        );
      const inner: string[] = [];
      value.forEach((element, i) => checkMember(element, member.member, `${where}.${i + 1}.member`, inner));
      if (member.member.type === 'string' && member.member.enum && inner.length > 0)
        errors.push(
          `Value '[${value.join(', ')}]' at '${where}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${member.member.enum.join(', ')}]]`,
        );
      else errors.push(...inner);
      return;
    }
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
        serialization(where);
      for (const [name, inner, camel] of membersOf(member.members))
        checkMember((value as Record<string, unknown>)[name], inner, `${where}.${camel}`, errors);
      return;
    }
  }
}

/** Throws AWS's ValidationException (every violation, as AWS lists them) or SerializationException. */
export function validateRequest(members: Record<string, Member>, request: Record<string, unknown>): void {
  const errors: string[] = [];
  for (const [name, member, camel] of membersOf(members)) checkMember(request[name], member, camel, errors);
  if (errors.length > 0)
    throw new KmsError(
      'ValidationException',
      `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
    );
}
