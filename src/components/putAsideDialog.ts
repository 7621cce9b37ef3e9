/** The dialog saying why the draft in progress cannot be put aside yet: 首页 (重新开始) and opening a draft show the same. Taro only, so 首页's first paint does not wait for the draft service. */
import Taro from '@tarojs/taro';

export async function explainNotPutAside(reason: string): Promise<void> {
  await Taro.showModal({
    title: '先等正在填的那一份保存好',
    content: reason,
    showCancel: false,
    confirmText: '知道了',
  }).catch(() => undefined);
}
