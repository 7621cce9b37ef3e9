/**
 * H5 face of the full-screen photo preview: Taro's own (zoom, swipe; a tap closes it), made to answer Back as WeChat's
 * does. Taro's H5 previewImage (@tarojs/taro-h5, dist/api/media/image/previewImage.js) appends a fixed
 * <div class="preview-image"> to <body>, removed by a tap on it or by a route change, and adds no history entry: the
 * browser's Back (Android's back gesture) left the page under it. Here, while it is open, a twin of the page's history
 * entry is on top (services/historyTwin.h5.ts): Back closes the preview and leaves the person on the same page; closed
 * by a tap or its 关闭 control, the twin goes too, so the next Back is an ordinary one.
 */
import Taro from '@tarojs/taro';
import { pushTwin } from './historyTwin';

/** Closes the preview as Taro does on a tap (its own handler also stops listening for route changes). */
function closeOverlay(overlay: HTMLElement): void {
  if (overlay.isConnected) overlay.click();
}

/** 关闭, top right, reachable by keyboard and named for a screen reader; a tap on it reaches the overlay and closes it. */
function addCloseControl(overlay: HTMLElement): HTMLButtonElement {
  overlay.setAttribute('role', 'dialog');
  overlay.setAttribute('aria-modal', 'true');
  overlay.setAttribute('aria-label', '图片预览');
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'preview-image-close';
  close.textContent = '关闭';
  close.setAttribute('aria-label', '关闭图片预览');
  close.style.cssText = [
    'position:absolute',
    'top:calc(12px + env(safe-area-inset-top, 0px))',
    'right:12px',
    'z-index:2',
    'min-width:64px',
    'min-height:44px',
    'padding:8px 16px',
    'font-size:18px',
    'line-height:1.5',
    'color:#fff',
    'background:rgba(0,0,0,0.6)',
    'border:1px solid rgba(255,255,255,0.8)',
    'border-radius:22px',
  ].join(';');
  overlay.appendChild(close);
  return close;
}

/** Shows `urls` full screen, starting at `start` (zoom, swipe between them); Back, a tap or 关闭 closes it. */
export async function previewPhotos(urls: string[], start: string): Promise<void> {
  await Taro.previewImage({ urls, current: start });
  const overlays = document.querySelectorAll<HTMLElement>('body > .preview-image');
  const overlay = overlays[overlays.length - 1];
  if (!overlay || overlay.querySelector('.preview-image-close')) return; // not Taro's overlay as known: Taro's behaviour
  const close = addCloseControl(overlay);
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') closeOverlay(overlay);
  };
  document.addEventListener('keydown', onKey);
  const leave = pushTwin(() => closeOverlay(overlay));
  const closed = new MutationObserver(() => {
    if (overlay.isConnected) return;
    closed.disconnect();
    document.removeEventListener('keydown', onKey);
    leave?.();
  });
  closed.observe(document.body, { childList: true });
  close.focus({ preventScroll: true });
}
