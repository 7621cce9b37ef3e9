/** A labelled form field: label above, the control, then its message (error in red, warning in amber). */
import { Input, Text, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';

export interface FieldProps {
  id: string;
  /** Where 下一步 scrolls to when this field has a message (an id of its own around the field). */
  anchor?: string;
  label: string;
  error?: string | undefined;
  warning?: string | null | undefined;
  /** Words under the control; a node where part of it must not break (a date: `<Text className='day'>`). */
  hint?: React.ReactNode;
}

export function Field({
  id,
  anchor,
  label,
  error,
  warning,
  hint,
  children,
}: PropsWithChildren<FieldProps>): React.ReactNode {
  const field = (
    <View className='field' id={`${id}-field`}>
      <Text className='field-label' id={`${id}-label`}>
        {label}
      </Text>
      {children}
      {hint ? <View className='muted'>{hint}</View> : null}
      {error ? (
        <View className='field-error' id={`${id}-error`} role='alert'>
          {error}
        </View>
      ) : null}
      {!error && warning ? (
        <View className='field-warning' id={`${id}-warning`}>
          {warning}
        </View>
      ) : null}
    </View>
  );
  return anchor ? <View id={anchor}>{field}</View> : field;
}

export interface TextFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  /** Enter (the keyboard's 搜索 / 完成 key): what the field's button would do. */
  onConfirm?: () => void;
  confirmType?: 'search' | 'done';
  placeholder?: string;
  type?: 'text' | 'number' | 'idcard' | 'digit';
  maxlength?: number;
  /** Shown instead of an input: a family member's masked value kept on the server (changed with 修改). */
  readOnly?: boolean;
}

export function TextField({
  value,
  onChange,
  onBlur,
  onConfirm,
  confirmType = 'done',
  placeholder,
  type = 'text',
  maxlength = 140,
  readOnly = false,
  ...field
}: TextFieldProps): React.ReactNode {
  if (readOnly) {
    return (
      <Field {...field}>
        <View className='field-readonly' id={field.id}>
          {value}
        </View>
      </Field>
    );
  }
  return (
    <Field {...field}>
      <Input
        id={field.id}
        className='field-input'
        value={value}
        type={type}
        maxlength={maxlength}
        placeholder={placeholder ?? ''}
        aria-label={field.label}
        onInput={(event) => onChange(event.detail.value)}
        onBlur={() => onBlur?.()}
        confirmType={confirmType}
        onConfirm={() => onConfirm?.()}
      />
    </Field>
  );
}
