import { Text, View } from '@tarojs/components';

/** The one way a page shows a failure: the Chinese message from the CloudError, plus its code for support. */
export function ErrorBanner({ message, code }: { message: string; code?: string }): React.ReactNode {
  return (
    <View className='banner-error' role='alert'>
      <Text>{message}</Text>
      {code ? <Text className='muted'>{`（错误码 ${code}）`}</Text> : null}
    </View>
  );
}
