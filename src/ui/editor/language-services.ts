/**
 * The lab's JSON language services, shared by every editor: which schema each model gets, and the completion
 * and hover providers for policies. Monaco registers providers per language, not per editor, so they are
 * registered once and ref-counted by the models that use them (StrictMode mounts every editor twice).
 */
import { monaco, jsonDefaults } from './monaco';
import { policyContextAt, hoverTargetAt } from './policy-context';
import { hoverMarkdown, suggestionsFor } from './completion-items';
import type { Suggestion } from './completion-items';
import { policySchema } from './policy-schema';
import { SCENARIO_SCHEMA_ID, scenarioSchema } from '../../scenario/schema';
import type { EditorKind } from './types';

/** Monaco's spelling of each model URI → what the model holds. */
const modelKinds = new Map<string, { kind: EditorKind; refs: number }>();
let providers: monaco.IDisposable[] = [];

function schemaUri(kind: EditorKind): string {
  return kind === 'scenario' ? SCENARIO_SCHEMA_ID : `inmemory://kms-lab/schemas/${kind}-policy.json`;
}

/**
 * The fileMatch glob for one model. The JSON worker drops the fragment and query and compares the unencoded URI
 * (vscode-json-languageservice `normalizeResourceForMatching`); glob syntax characters become `?` (any one
 * character), since its globs have no escape.
 */
function fileMatchFor(uri: string): string {
  return monaco.Uri.parse(uri)
    .with({ fragment: '', query: '' })
    .toString(true)
    .replace(/[?*[\]{},]/g, '?');
}

/** Tells the JSON worker which schema validates each open model. */
function updateSchemas(): void {
  const byKind = new Map<EditorKind, string[]>();
  for (const [uri, { kind }] of modelKinds) byKind.set(kind, [...(byKind.get(kind) ?? []), uri]);
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    trailingCommas: 'error',
    enableSchemaRequest: false, // offline: every schema is given inline
    // The schema serves completion and hover only. The lab reports every schema problem itself, located, with
    // "did you mean" (scenario validation walks this same schema; the policy linter covers the policy grammar), so
    // the worker's own "Property … is not allowed" / "Incorrect type" would mark each problem twice (e2e/markers).
    schemaValidation: 'ignore',
    schemas: [...byKind].map(([kind, uris]) => ({
      uri: schemaUri(kind),
      fileMatch: uris.map(fileMatchFor),
      schema: kind === 'scenario' ? scenarioSchema : policySchema(kind),
    })),
  });
}

const KIND_BY_SUGGESTION: Record<Suggestion['kind'], monaco.languages.CompletionItemKind> = {
  element: monaco.languages.CompletionItemKind.Property,
  effect: monaco.languages.CompletionItemKind.EnumMember,
  action: monaco.languages.CompletionItemKind.Function,
  wildcard: monaco.languages.CompletionItemKind.Constant,
  operator: monaco.languages.CompletionItemKind.Operator,
  'condition-key': monaco.languages.CompletionItemKind.Variable,
  value: monaco.languages.CompletionItemKind.Value,
};

function spanRange(model: monaco.editor.ITextModel, offset: number, length: number): monaco.Range {
  const start = model.getPositionAt(offset);
  const end = model.getPositionAt(offset + length);
  return new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
}

function registerProviders(): monaco.IDisposable[] {
  const completion = monaco.languages.registerCompletionItemProvider('json', {
    triggerCharacters: ['"', ':'],
    provideCompletionItems(model, position) {
      const entry = modelKinds.get(model.uri.toString());
      if (!entry) return { suggestions: [] };
      const offset = model.getOffsetAt(position);
      const context = policyContextAt(model.getValue(), offset);
      const items = suggestionsFor(context, { schemaCoversElements: entry.kind !== 'scenario' });
      const insert = spanRange(model, context.replace.offset, offset - context.replace.offset);
      const replace = spanRange(model, context.replace.offset, context.replace.length);
      return {
        suggestions: items.map((item) => ({
          label: { label: item.label, description: item.description },
          kind: KIND_BY_SUGGESTION[item.kind],
          detail: item.description,
          documentation: { value: item.documentation },
          insertText: item.insertText,
          insertTextRules: item.snippet
            ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet
            : undefined,
          // Filter on the label (what the learner sees) even when a snippet inserts more.
          filterText: context.inString ? item.label : JSON.stringify(item.label),
          sortText: item.sortText,
          range: { insert, replace },
        })),
      };
    },
  });
  const hover = monaco.languages.registerHoverProvider('json', {
    provideHover(model, position) {
      if (!modelKinds.has(model.uri.toString())) return null;
      const target = hoverTargetAt(model.getValue(), model.getOffsetAt(position));
      if (!target) return null;
      const markdown = hoverMarkdown(target.kind, target.value);
      if (!markdown) return null;
      return {
        contents: [{ value: markdown }],
        range: spanRange(model, target.span.offset, target.span.length),
      };
    },
  });
  return [completion, hover];
}

/**
 * Declares that a model of this kind is open: it gets its schema, and the providers are registered while at
 * least one model is open. Returns the release function (idempotent).
 */
export function attachLanguageServices(model: monaco.editor.ITextModel, kind: EditorKind): () => void {
  const uri = model.uri.toString();
  const entry = modelKinds.get(uri);
  if (entry) {
    entry.refs += 1;
    entry.kind = kind;
  } else {
    modelKinds.set(uri, { kind, refs: 1 });
  }
  if (providers.length === 0) providers = registerProviders();
  updateSchemas();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const current = modelKinds.get(uri);
    if (current) {
      current.refs -= 1;
      if (current.refs === 0) modelKinds.delete(uri);
    }
    if (modelKinds.size === 0) {
      for (const provider of providers) provider.dispose();
      providers = [];
    }
    updateSchemas();
  };
}
