/** The one way a page shows a failure: the sentence from the CloudError (what happened, what to do); its code only under 详情, for support. */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';

export function ErrorBanner({ message, code }: { message: string; code?: string | undefined }): React.ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <View className='banner-error' role='alert'>
      <Text>{message}</Text>
      {code ? (
        <View>
          <View className='error-detail-toggle' role='button' aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? '收起详情' : '详情'}
          </View>
          {open ? <View className='muted'>{`代码 ${code}（联系客服时请告诉对方）`}</View> : null}
        </View>
      ) : null}
    </View>
  );
}
