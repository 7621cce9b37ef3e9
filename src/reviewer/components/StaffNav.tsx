/** The staff pages, one tap apart: 待办, 支付批次, 统计看板 (the current one marked). */
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import './staffNav.scss';

export type StaffPage = 'queue' | 'payments' | 'dashboard';

export const staffPages: ReadonlyArray<{ page: StaffPage; label: string; url: string }> = [
  { page: 'queue', label: '待办审核', url: '/reviewer/pages/queue/index' },
  { page: 'payments', label: '支付批次', url: '/reviewer/pages/payments/index' },
  { page: 'dashboard', label: '统计看板', url: '/reviewer/pages/dashboard/index' },
];

export function StaffNav({ current }: { current: StaffPage }): React.ReactNode {
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

/** Every staff page ends with the way back to 我的 (the staff entry). */
export function GoHome(): React.ReactNode {
  return (
    <View
      id='go-home'
      className='staff-go-home'
      role='link'
      onClick={() => void Taro.switchTab({ url: '/pages/me/index' })}
    >
      返回我的
    </View>
  );
}
