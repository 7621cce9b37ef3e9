/** Where the person is in the claim (第 2 步，共 5 步) and whether their work is saved. */
import { Text, View } from '@tarojs/components';
import { draftSteps, type DraftStep } from '../core/draftSteps';
import type { SyncState } from '../services/draft';

const syncText: Record<SyncState, string> = {
  local: '已保存在本机',
  saving: '正在保存…',
  saved: '已保存，下次打开可继续',
  offline: '网络不太好：已保存在本机，稍后自动同步',
  signedOut: '还没有登录：已保存在本机，登录后会自动保存',
};

export function DraftSteps({ current, sync }: { current: DraftStep; sync: SyncState }): React.ReactNode {
  const index = draftSteps.findIndex((step) => step.key === current);
  return (
    <View>
      <View
        className='steps'
        aria-label={`第 ${index + 1} 步，共 ${draftSteps.length} 步：${draftSteps[index]?.label ?? ''}`}
      >
        {draftSteps.map((step, position) => (
          <View
            key={step.key}
            className={`steps-item ${position < index ? 'steps-item-done' : ''} ${position === index ? 'steps-item-current' : ''}`}
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
