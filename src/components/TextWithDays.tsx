/**
 * Text whose dates (2027-02-22, 2026年12月8日) stay whole on one line: Chrome and WeChat break a date after a hyphen, or
 * between any two characters of a Chinese one (a probe read 生成于 2026年12月8 / 日 on 支付批次), otherwise.
 */
import { Text } from '@tarojs/components';

export function TextWithDays({ text }: { text: string }): React.ReactNode {
  // split with a capturing group: the dates are the odd parts.
  const parts = text.split(/(\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)/);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <Text key={index} className='day'>
            {part}
          </Text>
        ) : (
          part
        ),
      )}
    </>
  );
}
