/** The person's display preferences, kept on the device. */
import Taro from '@tarojs/taro';

const LARGE_TYPE_KEY = 'pref.largeType';

export function isLargeType(): boolean {
  return Taro.getStorageSync(LARGE_TYPE_KEY) === true;
}

export function setLargeType(enabled: boolean): void {
  Taro.setStorageSync(LARGE_TYPE_KEY, enabled);
}
