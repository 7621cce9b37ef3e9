/**
 * Nothing irreversible on one tap: an action first opens this panel, which restates what will
 * happen to what (claim, amount, batch) and waits for a second, deliberate tap on 确认.
 */
import { Button, Text, View } from '@tarojs/components';
import { useRef } from 'react';
import { Failure } from './Failure';
import type { CloudError } from '../../services/cloud';
import './confirm.scss';

/** Presses of 确认 closer than this are one press. */
const DOUBLE_PRESS_MS = 1000;

interface ConfirmProps {
  /** Prefix of the ids: `${id}`, `${id}-ok`, `${id}-cancel`. */
  id: string;
  title: string;
  /** Sentences restating what will happen, one per line. */
  lines: readonly string[];
  confirmText: string;
  busy: boolean;
  failure?: CloudError | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export function Confirm({
  id,
  title,
  lines,
  confirmText,
  busy,
  failure = null,
  onConfirm,
  onCancel,
}: ConfirmProps): React.ReactNode {
  // One 确认 per press: a double tap reached the action twice (the button is disabled a frame later, by Taro's
  // component), and the second, refused, was shown as 这份申请刚被其他人办理过. A second press within a second is ignored.
  const lastPress = useRef(0);
  const confirmOnce = (): void => {
    const now = Date.now();
    if (busy || now - lastPress.current < DOUBLE_PRESS_MS) return;
    lastPress.current = now;
    onConfirm();
  };
  return (
    <View id={id} className='card confirm-panel' role='alertdialog' aria-labelledby={`${id}-title`}>
      <Text id={`${id}-title`} className='confirm-title'>
        {title}
      </Text>
      {lines.map((line) => (
        <View key={line} className='confirm-line'>
          {line}
        </View>
      ))}
      {failure ? <Failure error={failure} /> : null}
      <View className='confirm-actions'>
        <Button id={`${id}-cancel`} className='secondary-button confirm-button' disabled={busy} onClick={onCancel}>
          取消
        </Button>
        <Button
          id={`${id}-ok`}
          className='primary-button confirm-button'
          loading={busy}
          disabled={busy}
          onClick={confirmOnce}
        >
          <Text>{confirmText}</Text>
        </Button>
      </View>
    </View>
  );
}
