/**
 * Links already out in the world outlive a page's move: a WeChat subscription message sent before the claimant's
 * pages moved into the `claimant` subpackage (issue 10) still opens `pages/claim-detail/index?id=…`, and so does a
 * link a family member forwarded. The app's page-not-found hook asks here where such a link lives now; anything
 * else that does not exist goes home (首页), never to WeChat's own 「页面不存在」.
 *
 * Imports nothing: the app shell (H5 first paint) loads it, see config/h5FirstPaint.ts.
 */

/** Pages of the main package before the claimant subpackage → where they are now (paths without a leading slash). */
export const movedPages: Readonly<Record<string, string>> = {
  'pages/claim-new/index': 'claimant/pages/claim-new/index',
  'pages/claim-form/index': 'claimant/pages/claim-form/index',
  'pages/claim-materials/index': 'claimant/pages/claim-materials/index',
  'pages/claim-estimate/index': 'claimant/pages/claim-estimate/index',
  'pages/claim-confirm/index': 'claimant/pages/claim-confirm/index',
  'pages/claim-detail/index': 'claimant/pages/claim-detail/index',
  'pages/help/index': 'claimant/pages/help/index',
};

export const homePage = '/pages/index/index';

/** `redirect`: open `url` in place of the missing page (never a tab page); `home`: switch to the 首页 tab. */
export type MissingPageRoute = { kind: 'redirect'; url: string } | { kind: 'home'; url: string };

function queryString(query: Readonly<Record<string, unknown>>): string {
  const pairs = Object.entries(query)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/**
 * Where a missing page's link goes. `path` as the platforms report it (WeChat: without a leading slash; Taro's H5
 * router: with one), `query` its parameters (kept, re-encoded; values that are not text are dropped).
 */
export function routeForMissingPage(path: string, query: Readonly<Record<string, unknown>> = {}): MissingPageRoute {
  const bare = path.replace(/^\/+/, '').replace(/\.html$/, '');
  const moved = movedPages[bare];
  return moved === undefined
    ? { kind: 'home', url: homePage }
    : { kind: 'redirect', url: `/${moved}${queryString(query)}` };
}
