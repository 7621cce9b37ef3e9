/** What a step page shows when there is no claim in progress on this device (e.g. it was submitted). */
import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from './PageShell';

export function NoDraft(): React.ReactNode {
  return (
    <PageShell>
      <View className='muted' id='no-draft'>
        没有正在填写的申请。已提交的申请可以在「我的报销」查看。
      </View>
      <Button
        className='primary-button'
        onClick={() => void Taro.reLaunch({ url: '/claimant/pages/claim-new/index?fresh=1' })}
      >
        开始新的报销
      </Button>
    </PageShell>
  );
}
