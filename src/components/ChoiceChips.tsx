/** A choice among a few options as large tappable chips (one thumb, no pop-up picker). */
import { View } from '@tarojs/components';

export interface ChoiceOption<T extends string | number> {
  value: T;
  label: string;
  disabled?: boolean;
}

export function ChoiceChips<T extends string | number>({
  id,
  label,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  options: readonly ChoiceOption<T>[];
  value: T | undefined;
  onChange: (value: T) => void;
}): React.ReactNode {
  return (
    <View className='chips' role='radiogroup' aria-label={label}>
      {options.map((option) => {
        const selected = option.value === value;
        return (
          <View
            key={String(option.value)}
            id={`${id}-${String(option.value)}`}
            className={`chip ${selected ? 'chip-selected' : ''} ${option.disabled ? 'chip-disabled' : ''}`}
            role='radio'
            aria-checked={selected}
            aria-disabled={option.disabled === true}
            onClick={() => {
              if (!option.disabled) onChange(option.value);
            }}
          >
            {selected ? `✓ ${option.label}` : option.label}
          </View>
        );
      })}
    </View>
  );
}

/** A large checkbox with its text as the label (the whole row is the target). */
export function CheckRow({
  id,
  checked,
  onChange,
  children,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: React.ReactNode;
}): React.ReactNode {
  return (
    <View id={id} className='checkbox-row' role='checkbox' aria-checked={checked} onClick={() => onChange(!checked)}>
      <View className={`checkbox-box ${checked ? 'checkbox-box-checked' : ''}`}>{checked ? '✓' : ''}</View>
      <View className='row-grow'>{children}</View>
    </View>
  );
}
