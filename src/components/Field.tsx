/** A labelled form field: label above, the control, then its message (error in red, warning in amber). */
import { Input, Text, View } from '@tarojs/components';
import type { PropsWithChildren } from 'react';

export interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  warning?: string | null | undefined;
  hint?: string | undefined;
}

export function Field({ id, label, error, warning, hint, children }: PropsWithChildren<FieldProps>): React.ReactNode {
  return (
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
}

export interface TextFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  placeholder?: string;
  type?: 'text' | 'number' | 'idcard' | 'digit';
  maxlength?: number;
}

export function TextField({ value, onChange, onBlur, placeholder, type = 'text', maxlength = 140, ...field }: TextFieldProps): React.ReactNode {
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
      />
    </Field>
  );
}
