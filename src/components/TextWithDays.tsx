/** Text whose dates (2027-02-22) stay whole on one line: Chrome and WeChat break a date after a hyphen otherwise. */
import { Text } from '@tarojs/components';

export function TextWithDays({ text }: { text: string }): React.ReactNode {
  // split with a capturing group: the dates are the odd parts.
  const parts = text.split(/(\d{4}-\d{2}-\d{2})/);
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
