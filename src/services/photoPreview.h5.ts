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

/** Largest magnification on a desk. */
const DESK_ZOOM_MAX = 4;
/** A click's magnification. */
const DESK_ZOOM_CLICK = 2.5;

/**
 * A desk (a mouse, no touch): a click on the photo magnifies it where clicked (again: back to the whole photo), the
 * wheel zooms in and out, and the magnified part follows the pointer. A click closed the preview, and a reviewer at
 * 1024 × 768 could not read a receipt's small print (an agency walk). Phones keep Taro's pinch and tap-to-close.
 */
function addDeskZoom(overlay: HTMLElement): void {
  if (!window.matchMedia?.('(hover: hover) and (pointer: fine)').matches) return;
  let scale = 1;
  const imageAt = (target: EventTarget | null): HTMLImageElement | null =>
    target instanceof HTMLImageElement && overlay.contains(target) ? target : null;
  const place = (image: HTMLImageElement, event: MouseEvent): void => {
    const box = image.getBoundingClientRect();
    const x = Math.min(100, Math.max(0, ((event.clientX - box.left) / Math.max(1, box.width)) * 100));
    const y = Math.min(100, Math.max(0, ((event.clientY - box.top) / Math.max(1, box.height)) * 100));
    image.style.transformOrigin = `${x}% ${y}%`;
    image.style.transform = `scale(${scale})`;
    image.style.cursor = scale > 1 ? 'zoom-out' : 'zoom-in';
    image.dataset.zoom = String(scale);
  };
  overlay.querySelectorAll('img').forEach((image) => {
    image.style.cursor = 'zoom-in';
    image.style.transition = 'transform 120ms ease-out';
  });
  // Capture: before Taro's own click on the overlay, which closes it.
  overlay.addEventListener(
    'click',
    (event) => {
      const image = imageAt(event.target);
      if (!image) return;
      event.stopPropagation();
      scale = scale > 1 ? 1 : DESK_ZOOM_CLICK;
      place(image, event);
    },
    true,
  );
  overlay.addEventListener(
    'wheel',
    (event) => {
      const image = imageAt(event.target);
      if (!image) return;
      event.preventDefault();
      scale = Math.min(DESK_ZOOM_MAX, Math.max(1, scale * (event.deltaY < 0 ? 1.25 : 0.8)));
      place(image, event);
    },
    { passive: false },
  );
  overlay.addEventListener('mousemove', (event) => {
    const image = imageAt(event.target);
    if (image && scale > 1) place(image, event);
  });
}

/** Shows `urls` full screen, starting at `start` (zoom, swipe between them); Back, a tap or 关闭 closes it. */
export async function previewPhotos(urls: string[], start: string): Promise<void> {
  await Taro.previewImage({ urls, current: start });
  const overlays = document.querySelectorAll<HTMLElement>('body > .preview-image');
  const overlay = overlays[overlays.length - 1];
  if (!overlay || overlay.querySelector('.preview-image-close')) return; // not Taro's overlay as known: Taro's behaviour
  const close = addCloseControl(overlay);
  addDeskZoom(overlay);
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
