/** The staff pages, one tap apart: 待办, 支付批次, 统计看板 (the current one marked). */
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect } from 'react';
import { pagePathOf } from '../../components/pagePath';
import { nextInQueue } from '../queue/queueOrder';
import './staffNav.scss';

export type StaffPage = 'queue' | 'payments' | 'dashboard';

const QUEUE_URL = '/reviewer/pages/queue/index';

export const staffPages: ReadonlyArray<{ page: StaffPage; label: string; url: string }> = [
  { page: 'queue', label: '待办审核', url: QUEUE_URL },
  { page: 'payments', label: '支付批次', url: '/reviewer/pages/payments/index' },
  { page: 'dashboard', label: '统计看板', url: '/reviewer/pages/dashboard/index' },
];

let homeGuardInstalled = false;

/**
 * The navigation bar's home (⌂) on a staff page: it reLaunched the app's first page, the claimant's 首页 (a walk opened a
 * claim by link and landed on 我要报销). In H5 it leads to 待办 instead; the mini-program hides it (each staff page has
 * its own way back).
 */
export function useStaffHomeButton(): void {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') {
      void Taro.hideHomeButton().catch(() => undefined);
      return;
    }
    if (homeGuardInstalled) return;
    homeGuardInstalled = true;
    document.addEventListener(
      'click',
      (event) => {
        const target = event.target instanceof Element ? event.target : null;
        const route = Taro.getCurrentPages().at(-1)?.route ?? '';
        if (!target?.closest('.taro-navigation-bar-home') || !route.replace(/^\//, '').startsWith('reviewer/')) return;
        event.stopPropagation();
        event.preventDefault();
        void Taro.reLaunch({ url: QUEUE_URL });
      },
      true,
    );
  }, []);
}

export function StaffNav({ current }: { current: StaffPage }): React.ReactNode {
  useStaffHomeButton();
  return (
    <View className='staff-nav' role='navigation'>
      {staffPages.map((entry) => (
        <View
          key={entry.page}
          id={`nav-${entry.page}`}
          className={`staff-nav-item ${entry.page === current ? 'staff-nav-current' : ''}`}
          role='link'
          aria-current={entry.page === current ? 'page' : undefined}
          onClick={() => (entry.page === current ? undefined : void Taro.redirectTo({ url: entry.url }))}
        >
          {entry.label}
        </View>
      ))}
    </View>
  );
}

/** A staff page's way out at its foot (the bar's ⌂ kept on the staff pages too). */
function FootLink({ id, label, go }: { id: string; label: string; go: () => Promise<unknown> }): React.ReactNode {
  useStaffHomeButton();
  return (
    <View id={id} className='staff-go-home' role='link' onClick={() => void go()}>
      {label}
    </View>
  );
}

/** Every staff page ends with the way back to 我的 (the staff entry). */
export function GoHome(): React.ReactNode {
  return <FootLink id='go-home' label='返回我的' go={() => Taro.switchTab({ url: '/pages/me/index' })} />;
}

/** A claim's page ends with the way back to 待办 (opened by a link, it had only the bar's ⌂, which left the staff pages). */
export function BackToQueue(): React.ReactNode {
  // Opened from 待办: back to it as it was — its filter, its search, where it was scrolled to, the list read again —
  // not to 全部在办 from the top (a walk: each claim cost re-picking the filter and scrolling). Opened by a link: 待办 anew.
  const back = (): Promise<unknown> => {
    return pagePathOf(Taro.getCurrentPages().at(-2)) === QUEUE_URL
      ? Taro.navigateBack()
      : Taro.reLaunch({ url: QUEUE_URL });
  };
  return <FootLink id='back-to-queue' label='返回待办列表' go={back} />;
}

/**
 * 下一份: the claim after this one in the list 待办 showed, opened in this one's place (返回待办列表 still goes back to
 * the list). Nothing when the claim was opened by a link or is the list's last.
 */
export function NextInQueue({ id, claimId }: { id: string; claimId: string }): React.ReactNode {
  const next = nextInQueue(claimId);
  if (!next) return null;
  return (
    <View
      id={id}
      className='staff-go-home staff-next'
      role='link'
      onClick={() => void Taro.redirectTo({ url: `/reviewer/pages/claim/index?id=${next.id}` })}
    >
      {`下一份：${next.title}`}
    </View>
  );
}
