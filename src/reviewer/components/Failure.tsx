/** A failure as a sentence; its code (for support) only under 详情. */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { CloudError } from '../../services/cloud';
import './confirm.scss';

export function Failure({ error, id }: { error: Pick<CloudError, 'message' | 'code'>; id?: string }): React.ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <View id={id} className='banner-error' role='alert'>
      <Text>{error.message}</Text>
      <View className='failure-detail-toggle' role='button' aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '收起详情' : '详情'}
      </View>
      {open ? <View className='failure-detail'>{`代码 ${error.code}（联系客服时请告诉对方）`}</View> : null}
      {/* Not staff (a claimant who opened a staff page by its address): what this is, and the way back. */}
      {error.code === 'FORBIDDEN' ? (
        <View id='not-staff'>
          <View>这里是医保经办人员办理报销的页面。您如果是来申请报销的，请回到首页。</View>
          <Button className='secondary-button' onClick={() => void Taro.switchTab({ url: '/pages/index/index' })}>
            返回首页
          </Button>
        </View>
      ) : null}
    </View>
  );
}

/** Any thrown value as a CloudError (a sentence and a code). */
export function failureOf(error: unknown): CloudError {
  return error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '操作没有完成，请稍后再试' });
}

/**
 * A claim page opened by an address that names no claim, or not one: said as such, with where to go (a walk opened
 * 办理记录 by its address and read 填写的内容有误，请按提示修改, with nothing to correct).
 */
export function claimPageFailureOf(error: unknown): CloudError {
  const failure = failureOf(error);
  return failure.code === 'VALIDATION_FAILED' ? unnamedClaim() : failure;
}

export function unnamedClaim(): CloudError {
  return new CloudError({
    code: 'CLAIM_NOT_NAMED',
    message: '这个地址没有指明是哪一份申请。请回到待办列表，点开要办理的申请。',
  });
}
