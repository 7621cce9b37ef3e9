/** Where the person is in the claim (第 2 步，共 5 步) and whether their work is saved. */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { stepPages } from './draftRoutes';
import { pagePathOf } from './pagePath';
import { draftSteps, type DraftStep } from '../core/draftSteps';
import type { SyncState } from '../services/draft';

const syncText: Record<SyncState, string> = {
  local: '已保存在本机',
  saving: '正在保存…',
  saved: '已保存，下次打开可继续',
  offline: '网络不太好：已保存在本机，稍后自动同步',
  signedOut: '还没有登录：已保存在本机，登录后会自动保存',
};

/**
 * Opens a step already done: back to it where it is in the page stack (its page as it was left), else in this page's
 * place (a draft resumed from 首页 opens at its step, with no page of the steps before it: a walk found no way back to
 * 选择情况 but 重新开始).
 */
export function openStep(step: DraftStep, forward: boolean): void {
  const url = stepPages[step];
  // On to a step reached before: as 下一步 does, so 返回 comes back here.
  if (forward) {
    void Taro.navigateTo({ url });
    return;
  }
  const pages = Taro.getCurrentPages();
  const at = pages.findIndex((page) => pagePathOf(page) === url);
  if (at >= 0) void Taro.navigateBack({ delta: pages.length - 1 - at });
  else void Taro.redirectTo({ url });
}

export function DraftSteps({
  current,
  reached,
  sync,
}: {
  current: DraftStep;
  /** The furthest step the draft went on to (its `step`): those after this one open again too (a walk: back only). */
  reached?: DraftStep;
  sync: SyncState;
}): React.ReactNode {
  const index = draftSteps.findIndex((step) => step.key === current);
  const furthest = Math.max(
    index,
    draftSteps.findIndex((step) => step.key === reached),
  );
  return (
    <View>
      <View
        className='steps'
        aria-label={`第 ${index + 1} 步，共 ${draftSteps.length} 步：${draftSteps[index]?.label ?? ''}`}
      >
        {draftSteps.map((step, position) => (
          <View
            key={step.key}
            id={`steps-${step.key}`}
            className={`steps-item ${position < index || (position > index && position <= furthest) ? 'steps-item-done' : ''} ${position === index ? 'steps-item-current' : ''}`}
            {...(position !== index && position <= furthest
              ? {
                  role: 'link',
                  'aria-label': `${position < index ? '回到' : '去'}第 ${position + 1} 步：${step.label}`,
                  onClick: () => openStep(step.key, position > index),
                }
              : {})}
          >
            <Text className='steps-number'>{`${position + 1} `}</Text>
            <Text className='steps-label'>{step.label}</Text>
          </View>
        ))}
      </View>
      <View className='sync-note' id='draft-sync'>
        {syncText[sync]}
      </View>
    </View>
  );
}
