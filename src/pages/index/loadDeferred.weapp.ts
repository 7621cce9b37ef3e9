/** Mini-program: ./deferred is in 首页's package already (no chunks to fetch), so it is there from the start. */
import * as deferred from './deferred';

export function deferredIfLoaded(): typeof deferred | null {
  return deferred;
}

export function loadDeferred(): Promise<typeof deferred> {
  return Promise.resolve(deferred);
}
