import appConfig from '../app.config';
import { homePage, movedPages, routeForMissingPage } from './movedPages';

jest.mock('../app.config', () => {
  (globalThis as { defineAppConfig?: (config: unknown) => unknown }).defineAppConfig = (config) => config;
  return jest.requireActual('../app.config');
});

interface AppConfig {
  pages: string[];
  subPackages: { root: string; pages: string[] }[];
}
const { pages, subPackages } = appConfig as unknown as AppConfig;
const allPages = new Set([
  ...pages,
  ...subPackages.flatMap(({ root, pages: inner }) => inner.map((page) => `${root}/${page}`)),
]);

describe('routeForMissingPage', () => {
  it('sends a claim-detail link of a notification sent before the subpackage to the claim, its query kept', () => {
    expect(routeForMissingPage('pages/claim-detail/index', { id: 'c-42' })).toEqual({
      kind: 'redirect',
      url: '/claimant/pages/claim-detail/index?id=c-42',
    });
  });

  it('takes the H5 router form of the path (leading slash) as well', () => {
    expect(routeForMissingPage('/pages/claim-detail/index', { id: 'c-42', submitted: '1' })).toEqual({
      kind: 'redirect',
      url: '/claimant/pages/claim-detail/index?id=c-42&submitted=1',
    });
  });

  it('re-encodes the query and drops values that are not text', () => {
    expect(routeForMissingPage('pages/help/index', { topic: '邮寄 原件&x', nested: { a: 1 } }).url).toBe(
      `/claimant/pages/help/index?topic=${encodeURIComponent('邮寄 原件&x')}`,
    );
  });

  it('sends every other missing page home, never to a page that does not exist', () => {
    expect(routeForMissingPage('pages/nothing/index', { id: '1' })).toEqual({ kind: 'home', url: homePage });
    expect(routeForMissingPage('', {})).toEqual({ kind: 'home', url: homePage });
  });

  it('points every moved page at a page of app.config, and home at the first tab', () => {
    for (const target of Object.values(movedPages)) expect(allPages).toContain(target);
    for (const legacy of Object.keys(movedPages)) expect(allPages).not.toContain(legacy);
    expect(pages[0]).toBe(homePage.slice(1));
  });
});
