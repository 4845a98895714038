/** A lesson's YAML front matter, read with `yaml` and checked against the fields docs/lessons.md lists. */
import { parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { FrontMatter, Place } from './types';

export interface FrontMatterProblem extends Place {
  message: string;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KNOWN = ['id', 'title', 'order', 'minutes', 'objectives', 'prerequisites'];

/**
 * Reads the YAML text that starts at `start` (the first line after `---`) in the file. Places in problems are
 * places in the file.
 */
export function readFrontMatter(
  yamlText: string,
  start: Place,
): { value?: FrontMatter; problems: FrontMatterProblem[] } {
  const problems: FrontMatterProblem[] = [];
  const at = (offset: number | undefined): Place => placeAt(yamlText, offset ?? 0, start);
  const doc = parseDocument(yamlText, { prettyErrors: false });
  for (const error of doc.errors) problems.push({ ...at(error.pos[0]), message: `front matter: ${error.message}` });
  if (problems.length > 0) return { problems };
  const map = doc.contents;
  if (!isMap(map)) return { problems: [{ ...start, message: 'front matter must be a YAML mapping' }] };

  const nodeOf = (key: string): YamlNode | undefined => map.get(key, true) as YamlNode | undefined;
  const placeOfKey = (key: string): Place => at(nodeOf(key)?.range?.[0] ?? map.range?.[0]);
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!KNOWN.includes(key))
      problems.push({
        ...at((pair.key as YamlNode | null)?.range?.[0]),
        message: `front matter: unknown field "${key}" (known: ${KNOWN.join(', ')})`,
      });
  }
  const data = doc.toJS() as Record<string, unknown>;
  const need = (key: string, ok: boolean, what: string) => {
    if (!ok) problems.push({ ...placeOfKey(key), message: `front matter: "${key}" must be ${what}` });
    return ok;
  };
  const stringList = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '');
  need('id', typeof data.id === 'string' && ID.test(data.id), 'a lower-case id of letters, digits and hyphens');
  need('title', typeof data.title === 'string' && data.title.trim() !== '', 'a non-empty string');
  need('order', Number.isInteger(data.order) && (data.order as number) > 0, 'a positive whole number');
  need('minutes', Number.isInteger(data.minutes) && (data.minutes as number) > 0, 'a positive whole number of minutes');
  need(
    'objectives',
    stringList(data.objectives) && (data.objectives as string[]).length > 0,
    'a non-empty list of strings',
  );
  if (data.prerequisites !== undefined) need('prerequisites', stringList(data.prerequisites), 'a list of lesson ids');
  if (problems.length > 0) return { problems };
  const list = nodeOf('prerequisites');
  const prerequisitePlaces = isSeq(list)
    ? list.items.map((item) => at((item as YamlNode | null)?.range?.[0]))
    : [];
  return {
    value: {
      id: data.id as string,
      title: data.title as string,
      order: data.order as number,
      minutes: data.minutes as number,
      objectives: data.objectives as string[],
      prerequisites: (data.prerequisites as string[] | undefined) ?? [],
      places: { id: placeOfKey('id'), order: placeOfKey('order'), prerequisites: prerequisitePlaces },
    },
    problems,
  };
}

/** The file place of an offset into the YAML text. */
function placeAt(text: string, offset: number, start: Place): Place {
  const before = text.slice(0, offset).split('\n');
  const line = start.line + before.length - 1;
  const column = before.length === 1 ? start.column + before[0]!.length : before[before.length - 1]!.length + 1;
  return { line, column };
}
