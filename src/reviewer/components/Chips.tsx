/**
 * A labelled row of choices as large tap targets (≥ 44 px): single choice (radio) or several
 * (checkbox). Same look as the claimant's ChoiceChips (styles in components/ui.scss).
 */
import { Text, View } from '@tarojs/components';
import type { ChoiceOption } from '../../components/ChoiceChips';
import './chips.scss';

export type ChipOption<V extends string> = ChoiceOption<V>;

interface ChipsProps<V extends string> {
  /** Prefix of each chip's id: `${id}-${value}`; the group's label gets `${id}-label`. */
  id: string;
  label: string;
  options: readonly ChipOption<V>[];
  selected: readonly V[];
  onToggle: (value: V) => void;
  multiple?: boolean;
}

export function Chips<V extends string>({
  id,
  label,
  options,
  selected,
  onToggle,
  multiple = false,
}: ChipsProps<V>): React.ReactNode {
  return (
    <View className='chips-field'>
      <Text id={`${id}-label`} className='field-label'>
        {label}
      </Text>
      <View className='chips' role={multiple ? 'group' : 'radiogroup'} aria-labelledby={`${id}-label`}>
        {options.map((option) => {
          const on = selected.includes(option.value);
          return (
            <View
              key={option.value}
              id={`${id}-${option.value}`}
              className={`chip ${on ? 'chip-selected' : ''}`}
              role={multiple ? 'checkbox' : 'radio'}
              aria-checked={on}
              onClick={() => onToggle(option.value)}
            >
              {multiple && on ? `✓ ${option.label}` : option.label}
            </View>
          );
        })}
      </View>
    </View>
  );
}
