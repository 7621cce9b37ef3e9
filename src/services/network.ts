/**
 * The network coming back, as the platform says it: Taro's network status (the mini-program's, and navigator.connection
 * in H5), and in H5 the page's own `online` event too (navigator.connection is absent in some browsers).
 */
import Taro from '@tarojs/taro';

export function onNetworkBack(listener: () => void): void {
  Taro.onNetworkStatusChange((status) => {
    if (status.isConnected) listener();
  });
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', listener);
}
