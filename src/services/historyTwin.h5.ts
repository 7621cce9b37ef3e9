/**
 * H5: an overlay that Back closes, as WeChat's native ones (the photo preview) do. While it is open, the page's history
 * entry has a twin on top (same URL, same router state): Back returns to the page's own entry, and the overlay closes;
 * closed by other means, the twin is taken away again (history.back()), so the next Back is an ordinary one.
 *
 * Taro's router must never see a move between an entry and its twin: it reads every popstate as a route change, and
 * for the page it already shows it unloads the page and mounts it afresh (what was typed lost). So a popstate that
 * lands on the entry the router already shows (same router key, same route; hash mode, config/index.ts) is stopped
 * here, before the router's listener. Chromium calls a window's popstate listeners in the order they were added,
 * capturing or not: installHistoryTwins() has to run before the router adds its own, i.e. when app.tsx is evaluated.
 */
import { history as router } from '@tarojs/router';

const TWIN = 'historyTwin';

let installed = false;
/** What Back does while a twin is on top; one twin at a time. */
let onBack: (() => void) | null = null;

/** The router's key of a history entry; 'default' for one the router did not make (the first page loaded). */
function keyOf(state: unknown): string {
  const key = state && typeof state === 'object' ? (state as { key?: unknown }).key : undefined;
  return typeof key === 'string' ? key : 'default';
}

function decoded(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Whether the history entry now current is the one the router shows, or its twin: same router key, same route. */
function onRouterEntry(state: unknown): boolean {
  const shown = (router as typeof router | undefined)?.location;
  if (!shown) return false;
  return (
    keyOf(state) === shown.key &&
    decoded(window.location.hash.slice(1)) === decoded(`${shown.pathname}${shown.search}${shown.hash}`)
  );
}

function isTwin(state: unknown): boolean {
  return Boolean(state && typeof state === 'object' && (state as Record<string, unknown>)[TWIN]);
}

function onPopState(event: PopStateEvent): void {
  if (!onRouterEntry(event.state)) return; // a real route change: the router's
  event.stopImmediatePropagation();
  const back = onBack;
  onBack = null;
  back?.();
}

/** Once, before Taro's router starts (app.tsx, at the top level). */
export function installHistoryTwins(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('popstate', onPopState, true);
}

/**
 * Puts a twin of the current history entry on top; `back` runs when Back takes it away. Returns what to call when the
 * overlay is closed by other means (takes the twin away if it is still on top), or null when no twin was put (not
 * installed, or another one is on top): the overlay then behaves as it would without.
 */
export function pushTwin(back: () => void): (() => void) | null {
  if (!installed || onBack) return null;
  const state: unknown = window.history.state;
  window.history.pushState({ ...(state && typeof state === 'object' ? state : {}), [TWIN]: true }, '');
  onBack = back;
  return () => {
    if (onBack !== back) return; // Back has taken it away already
    onBack = null;
    // Not after a route change from the twin, which made an entry of its own.
    if (isTwin(window.history.state) && onRouterEntry(window.history.state)) window.history.back();
  };
}
