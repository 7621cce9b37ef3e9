/**
 * The subscribe-message templates (受理, 审核结果, 到账) the app asks for at the submit tap, read from
 * TARO_APP_SUBSCRIBE_TEMPLATES — JSON like {"accepted":"<id>","result":"<id>","paid":"<id>"} — and
 * what WeChat answered, per template key. Pure: no Taro import (unit-tested).
 */
export const subscribeKeys = ['accepted', 'result', 'paid'] as const;
export type SubscribeTemplateKey = (typeof subscribeKeys)[number];

/** WeChat allows at most 3 template ids per requestSubscribeMessage call. */
export const MAX_TEMPLATES_PER_REQUEST = 3;

/** Template ids by key from the JSON text; unknown keys, empty or non-string ids are ignored. */
export function parseTemplateIds(json: string | undefined): Partial<Record<SubscribeTemplateKey, string>> {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const ids: Partial<Record<SubscribeTemplateKey, string>> = {};
  for (const key of subscribeKeys) {
    const id = (value as Record<string, unknown>)[key];
    if (typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)) ids[key] = id;
  }
  return ids;
}

/** The ids to ask for, in key order, at most three. */
export function templateIdList(ids: Partial<Record<SubscribeTemplateKey, string>>): string[] {
  return subscribeKeys
    .map((key) => ids[key])
    .filter((id): id is string => Boolean(id))
    .slice(0, MAX_TEMPLATES_PER_REQUEST);
}

const answers = new Set(['accept', 'reject', 'ban', 'filter']);

/** requestSubscribeMessage's answer ({ [templateId]: 'accept' | 'reject' | …, errMsg }) by our keys. */
export function resultsByKey(
  ids: Partial<Record<SubscribeTemplateKey, string>>,
  answer: Record<string, unknown>,
): Partial<Record<SubscribeTemplateKey, string>> {
  const results: Partial<Record<SubscribeTemplateKey, string>> = {};
  for (const key of subscribeKeys) {
    const id = ids[key];
    const value = id ? answer[id] : undefined;
    if (typeof value === 'string' && answers.has(value)) results[key] = value;
  }
  return results;
}
