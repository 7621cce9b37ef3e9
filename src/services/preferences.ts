/** The person's display preferences, kept on the device. */
import Taro from '@tarojs/taro';

const LARGE_TYPE_KEY = 'pref.largeType';

export function isLargeType(): boolean {
  return Taro.getStorageSync(LARGE_TYPE_KEY) === true;
}

export function setLargeType(enabled: boolean): void {
  Taro.setStorageSync(LARGE_TYPE_KEY, enabled);
}

const LARGE_TYPE_ASKED_KEY = 'pref.largeTypeAsked';

/** Whether the first-run question about large type (大字模式) was answered on this device. */
export function largeTypeAsked(): boolean {
  return Taro.getStorageSync(LARGE_TYPE_ASKED_KEY) === true;
}

export function answerLargeType(enabled: boolean): void {
  setLargeType(enabled);
  Taro.setStorageSync(LARGE_TYPE_ASKED_KEY, true);
}
