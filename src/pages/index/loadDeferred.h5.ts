/**
 * H5: ./deferred (zod, the engine and the policies, the draft's upload queue) is its own chunk, fetched after 首页's
 * first paint instead of before it (issue 13). Once loaded it stays: 首页 shown again uses it at once.
 */
import type * as Deferred from './deferred';

let loaded: typeof Deferred | null = null;

export function deferredIfLoaded(): typeof Deferred | null {
  return loaded;
}

/** After the next frame has painted: requestAnimationFrame runs before that paint, the timeout after it. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

let loading: Promise<typeof Deferred> | null = null;

/** One fetch at a time; a failed one (the network) is tried again at the next call. */
export function loadDeferred(): Promise<typeof Deferred> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= afterPaint()
    .then(() => import('./deferred'))
    .then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
  return loading;
}
