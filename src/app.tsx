import { type PropsWithChildren } from 'react';
import Taro, { useLaunch, usePageNotFound } from '@tarojs/taro';
import { routeForMissingPage } from './core/movedPages';
import { initCloud } from './services/cloud';
import { installHistoryTwins } from './services/historyTwin';
import './app.scss';

// H5: Back closes the photo preview instead of leaving the page (services/historyTwin.h5.ts). At the top level, so that
// it runs while the app module is imported: before Taro's router adds its own popstate listener.
installHistoryTwins();

function App({ children }: PropsWithChildren): React.ReactNode {
  useLaunch(() => {
    initCloud();
  });
  // A link to a page that moved (an old subscription message) opens where the page is now; any other missing page
  // opens 首页. WeChat wants the redirect in this callback, synchronously.
  usePageNotFound(({ path, query }) => {
    const route = routeForMissingPage(path, query);
    if (route.kind === 'redirect') void Taro.redirectTo({ url: route.url });
    else void Taro.switchTab({ url: route.url });
  });
  return children;
}

export default App;
