/**
 * What a rejected wx.cloud.callFunction means. The call rejects with `{ errCode, errMsg }`:
 * -504002 (functions execute fail) when the function crashed or was killed, an errMsg with
 * "timed out" when it ran past its timeout, and request/network failures otherwise. Only the last
 * is the user's network; the others are the service's fault and say so. Pure: no Taro import.
 */
import { CloudError, networkError } from './types';

export const FUNCTION_EXECUTE_FAIL = -504002;

export function describeCallFailure(error: unknown): CloudError {
  const { errCode, errMsg } = (error ?? {}) as { errCode?: unknown; errMsg?: unknown };
  const message = typeof errMsg === 'string' ? errMsg : '';
  if (/timed? ?out|timeout|-504003/i.test(message) && !/request:fail/i.test(message)) {
    return new CloudError({ code: 'FUNCTION_TIMEOUT', message: '服务处理超时，请稍后再试；已提交的内容不会重复提交' });
  }
  if (errCode === FUNCTION_EXECUTE_FAIL || /execute fail|functions? (execute|invoke) fail/i.test(message)) {
    return new CloudError({ code: 'FUNCTION_FAILED', message: '服务出了点问题，请稍后再试' });
  }
  return networkError();
}
