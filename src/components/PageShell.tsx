/**
 * Every page's root: applies the large-type mode (适老化) chosen in 我的 → 大字模式 (re-read each time
 * the page shows, so switching it takes effect on every page), and gives every page that is not a tab
 * a way home at its foot: 返回首页 and 我的报销, one tap each.
 */
import { Button, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState, type PropsWithChildren } from 'react';
import { isLargeType } from '../services/preferences';
import './ui.scss';

export const tabPages: readonly string[] = [
  'pages/index/index',
  'pages/claims/index',
  'pages/messages/index',
  'pages/me/index',
];

function currentRoute(): string {
  return (Taro.getCurrentInstance().router?.path ?? '').replace(/^\//, '').replace(/\?.*$/, '');
}

/** 返回首页 / 查看我的报销: tab pages are reached with switchTab, which also leaves the pages stacked above. */
export function HomeBar(): React.ReactNode {
  return (
    <View className='home-bar' id='home-bar'>
      <Button
        id='home-bar-home'
        className='secondary-button home-bar-button'
        onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}
      >
        返回首页
      </Button>
      <Button
        id='home-bar-claims'
        className='secondary-button home-bar-button'
        onClick={() => void Taro.switchTab({ url: '/pages/claims/index' })}
      >
        查看我的报销
      </Button>
    </View>
  );
}

export function PageShell({
  children,
  className = '',
  homeBar,
}: PropsWithChildren<{ className?: string; homeBar?: boolean }>): React.ReactNode {
  const [large, setLarge] = useState(isLargeType);
  useDidShow(() => setLarge(isLargeType()));
  const route = currentRoute();
  // Claimant pages only (the main package's and the claimant/ subpackage's): staff pages (reviewer/…) have their own navigation.
  const showHome = homeBar ?? (/^(claimant\/)?pages\//.test(route) && !tabPages.includes(route));
  return (
    <View className={`page ${large ? 'large-type' : ''} ${className}`}>
      {children}
      {showHome ? <HomeBar /> : null}
    </View>
  );
}
