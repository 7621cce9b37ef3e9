/**
 * Every page's root: applies the large-type mode (适老化) chosen in 我的 → 大字模式, re-read each time
 * the page shows, so switching it takes effect on every page.
 */
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState, type PropsWithChildren } from 'react';
import { isLargeType } from '../services/preferences';
import './ui.scss';

export function PageShell({ children, className = '' }: PropsWithChildren<{ className?: string }>): React.ReactNode {
  const [large, setLarge] = useState(isLargeType);
  useDidShow(() => setLarge(isLargeType()));
  return <View className={`page ${large ? 'large-type' : ''} ${className}`}>{children}</View>;
}
