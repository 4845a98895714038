/**
 * The scenario templates (scenarios/templates/*.json, listed by scenarios/templates/index.json). The index
 * is small and bundled with the lab; each template's text is a lazy chunk, loaded through the scenario loader
 * so a template is read exactly as the CLI reads it.
 */
import { loadScenario } from '../../scenario/load';
import type { Scenario } from '../../scenario/types';

export interface TemplateInfo {
  id: string;
  title: string;
  /** One line saying what the template teaches. */
  summary?: string;
}

const indexModules = import.meta.glob<unknown>('../../../scenarios/templates/index.json', {
  eager: true,
  import: 'default',
});
const templateTexts = import.meta.glob<string>(
  ['../../../scenarios/templates/*.json', '!../../../scenarios/templates/index.json'],
  {
    query: '?raw',
    import: 'default',
  },
);

const fileId = (path: string) =>
  path
    .split('/')
    .pop()!
    .replace(/\.json$/, '');

function entriesOf(index: unknown): unknown[] {
  if (Array.isArray(index)) return index;
  if (index && typeof index === 'object') {
    const record = index as Record<string, unknown>;
    if (Array.isArray(record.templates)) return record.templates;
  }
  return [];
}

function readIndex(): TemplateInfo[] {
  const index = Object.values(indexModules)[0];
  const available = new Set(Object.keys(templateTexts).map(fileId));
  const listed: TemplateInfo[] = [];
  for (const entry of entriesOf(index)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const file = typeof e.file === 'string' ? e.file : typeof e.path === 'string' ? e.path : undefined;
    const id = typeof e.id === 'string' ? e.id : file ? fileId(file) : undefined;
    const matchingId =
      id && available.has(id) ? id : file && available.has(fileId(file)) ? fileId(file) : undefined;
    if (!matchingId) continue;
    listed.push({
      id: matchingId,
      title: typeof e.title === 'string' ? e.title : matchingId,
      ...(typeof e.summary === 'string' ? { summary: e.summary } : {}),
    });
  }
  // Templates missing from the index still appear, after the listed ones.
  for (const id of [...available].sort())
    if (!listed.some((t) => t.id === id)) listed.push({ id, title: id });
  return listed;
}

export const TEMPLATES: TemplateInfo[] = readIndex();

export type LoadedTemplate = { ok: true; scenario: Scenario } | { ok: false; message: string };

export async function loadTemplate(id: string): Promise<LoadedTemplate> {
  const entry = Object.entries(templateTexts).find(([path]) => fileId(path) === id);
  if (!entry) return { ok: false, message: `There is no template "${id}".` };
  const text = await entry[1]();
  const loaded = loadScenario(text, `${id}.json`);
  if (!loaded.ok)
    return {
      ok: false,
      message: `The template "${id}" could not be read: ${loaded.errors[0]?.message ?? 'unknown error'}`,
    };
  return { ok: true, scenario: loaded.scenario };
}
