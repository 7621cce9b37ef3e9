import type { SubscribeTemplateKey as CoreTemplateKey } from '../../src/core/notifications';
/**
 * Subscribe-message templates (at most 3 asked at one tap): 受理 (accepted), 审核结果 (result),
 * 到账 (paid). Their ids come from configuration: environment variables SUBSCRIBE_TEMPLATE_ACCEPTED,
 * SUBSCRIBE_TEMPLATE_RESULT, SUBSCRIBE_TEMPLATE_PAID in the cloud function; the app gets the same
 * ids from TARO_APP_SUBSCRIBE_TEMPLATES (.env) to ask for them. A key without an id sends no message
 * (the in-app card is still written).
 */
export const subscribeTemplateKeys = ['accepted', 'result', 'paid'] as const satisfies readonly CoreTemplateKey[];
export type SubscribeTemplateKey = (typeof subscribeTemplateKeys)[number];

export function templateIdsFromEnv(
  env: Record<string, string | undefined>,
): Record<SubscribeTemplateKey, string | undefined> {
  return {
    accepted: env.SUBSCRIBE_TEMPLATE_ACCEPTED || undefined,
    result: env.SUBSCRIBE_TEMPLATE_RESULT || undefined,
    paid: env.SUBSCRIBE_TEMPLATE_PAID || undefined,
  };
}

/** Locally every template "exists", so the recorder shows what would be sent. */
export const localTemplateIds: Record<SubscribeTemplateKey, string> = {
  accepted: 'local-template-accepted',
  result: 'local-template-result',
  paid: 'local-template-paid',
};
