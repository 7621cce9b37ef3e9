/** Mini-program face of the full-screen photo preview: WeChat's own, which Back (and its close) already closes. */
import Taro from '@tarojs/taro';

/** Shows `urls` full screen, starting at `current` (zoom, swipe between them). */
export async function previewPhotos(urls: string[], current: string): Promise<void> {
  await Taro.previewImage({ urls, current });
}
