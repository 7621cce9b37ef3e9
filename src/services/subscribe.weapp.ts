/**
 * Mini-program face: at the submit tap, ask for the subscribe messages (受理, 审核结果, 到账; ≤ 3
 * templates) and record what the person granted, so the server counts one message per grant. Must be
 * called synchronously inside the tap handler (WeChat refuses it otherwise). Never throws: a refusal
 * or an error only means in-app cards instead of WeChat messages.
 */
import Taro from '@tarojs/taro';
import { notificationsApi } from './claims';
import { parseTemplateIds, resultsByKey, templateIdList } from './subscribeTemplates';

function configuredIds(): ReturnType<typeof parseTemplateIds> {
  try {
    return parseTemplateIds(process.env.TARO_APP_SUBSCRIBE_TEMPLATES);
  } catch {
    return {};
  }
}

export function requestClaimSubscriptions(): Promise<void> {
  const ids = configuredIds();
  const tmplIds = templateIdList(ids);
  if (tmplIds.length === 0) return Promise.resolve();
  return Taro.requestSubscribeMessage({ tmplIds, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)
    .then(async (answer) => {
      const results = resultsByKey(ids, answer as unknown as Record<string, unknown>);
      if (Object.keys(results).length > 0) await notificationsApi.recordSubscriptions(results);
    })
    .catch(() => undefined);
}
