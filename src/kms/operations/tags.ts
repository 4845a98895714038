/** TagResource, UntagResource, ListResourceTags and the tag rules they share with CreateKey (API TagResource). */
import { KmsError } from '../errors';
import type { KeyRecord } from '../kms-state';
import type { Operation } from './context';
import { page } from './pagination';

type Tag = { TagKey: string; TagValue: string };
/** Resource quotas: 50 tags per key (API TagResource, TagException). */
export const MAX_TAGS = 50;

/** TagException texts as AWS returns them (conformance tagresource-*, createkey-*-tag*). */
export function checkTags(tags: Tag[], existing: Tag[] = []): void {
  const keys = tags.map((t) => t.TagKey);
  if (new Set(keys).size !== keys.length) throw new KmsError('TagException', 'Duplicate tag keys');
  if (keys.some((k) => k.toLowerCase().startsWith('aws:')))
    throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
  const merged = new Set([...existing.map((t) => t.TagKey), ...keys]);
  if (merged.size > MAX_TAGS) throw new KmsError('TagException', 'Too many tags');
}

export function applyTags(key: KeyRecord, tags: Tag[]): void {
  for (const tag of tags) {
    const found = key.tags.find((t) => t.TagKey === tag.TagKey);
    if (found) found.TagValue = tag.TagValue;
    else key.tags.push({ TagKey: tag.TagKey, TagValue: tag.TagValue });
  }
}

export const TagResource: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('manage', key);
  const tags = request.Tags as Tag[];
  checkTags(tags, key.tags);
  applyTags(key, tags);
  call.core.changed();
  return {};
};

export const UntagResource: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  call.requireCustomerManaged(key);
  call.requireState('manage', key);
  const remove = new Set(request.TagKeys as string[]);
  key.tags = key.tags.filter((t) => !remove.has(t.TagKey));
  call.core.changed();
  return {};
};

export const ListResourceTags: Operation = async (call, request) => {
  const key = call.key(request.KeyId as string, { alias: false });
  call.authorize(key, request.KeyId as string);
  // AWS lists tags sorted by key (conformance tag-*, README "Tag order").
  const sorted = [...key.tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
  const { items, ...rest } = page(sorted, request, 50);
  return { Tags: items.map((t) => ({ ...t })), ...rest };
};
