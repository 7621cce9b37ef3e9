/** 费用明细: name, amount in yuan (fen stored), category per line; removing a line asks first. */
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ChoiceChips } from '../ChoiceChips';
import { Field, TextField } from '../Field';
import type { DraftBinder } from '../useDraftField';
import {
  categoryLabels,
  draftTotalFen,
  largeAmountWarning,
  type Category,
  type ClaimDraftState,
  type DraftLineItem,
} from '../../core/claimFormDraft';
import { formatYuan } from '../../core/money';
import { updateDraft } from '../../services/draft';

const categories: Category[] = ['A', 'B', 'C'];

export function LineItemsSection({ draft, form }: { draft: ClaimDraftState; form: DraftBinder }): React.ReactNode {
  const { errors, set } = form;
  const change = (
    index: number,
    item: DraftLineItem,
    field: 'name' | 'amountFen' | 'category',
    patch: Partial<DraftLineItem>,
  ): void =>
    set(`lineItems[${index}].${field}`, (current) => ({
      ...current,
      lineItems: current.lineItems.map((line) => (line.key === item.key ? { ...line, ...patch } : line)),
    }));

  function remove(index: number, item: DraftLineItem): void {
    void Taro.showModal({
      title: `删除第 ${index + 1} 项费用？`,
      content: item.name ? `「${item.name}」将从费用明细中删除` : '这一项将从费用明细中删除',
      confirmText: '删除',
      cancelText: '保留',
    })
      .then((answer) => {
        if (answer.confirm)
          updateDraft((current) => ({
            ...current,
            lineItems: current.lineItems.filter((line) => line.key !== item.key),
          }));
      })
      .catch(() => undefined);
  }

  return (
    <View className='card' id='lineItems-anchor'>
      <View className='section-title'>费用明细</View>
      <View className='muted' style={{ marginBottom: '16px' }}>
        照着票据或费用清单填写。甲类全部纳入报销范围，乙类要先自付一部分，丙类（自费）不报销；清单上一般印有类别。
      </View>
      {draft.lineItems.map((item, index) => (
        <View key={item.key} className='line-item' id={`line-item-${index}`}>
          <TextField
            id={`item-name-${index}`}
            label={`第 ${index + 1} 项 名称`}
            value={item.name}
            error={errors[`lineItems[${index}].name`]}
            placeholder='例如：西药费、检查费'
            maxlength={100}
            onChange={(name) => change(index, item, 'name', { name })}
          />
          <TextField
            id={`item-amount-${index}`}
            label='金额（元）'
            type='digit'
            value={item.yuan}
            error={errors[`lineItems[${index}].amountFen`]}
            warning={largeAmountWarning(item.yuan)}
            placeholder='例如 128.50'
            maxlength={14}
            onChange={(yuan) => change(index, item, 'amountFen', { yuan })}
          />
          <Field id={`item-category-${index}`} label='类别' error={errors[`lineItems[${index}].category`]}>
            <ChoiceChips
              id={`item-category-${index}`}
              label={`第 ${index + 1} 项类别`}
              value={item.category}
              options={categories.map((category) => ({ value: category, label: categoryLabels[category] }))}
              onChange={(category) => change(index, item, 'category', { category })}
            />
          </Field>
          {draft.lineItems.length > 1 ? (
            <Button id={`item-remove-${index}`} className='danger-button' onClick={() => remove(index, item)}>
              {`删除第 ${index + 1} 项`}
            </Button>
          ) : null}
        </View>
      ))}
      {errors.lineItems ? <View className='field-error'>{errors.lineItems}</View> : null}
      <Button
        id='item-add'
        className='secondary-button'
        onClick={() =>
          updateDraft((current) => ({
            ...current,
            lineItems: [
              ...current.lineItems,
              { key: `${current.localId}-${Date.now().toString(36)}`, name: '', yuan: '', category: 'A' },
            ],
          }))
        }
      >
        ＋ 再加一项费用
      </Button>
      <View className='summary-row' style={{ marginTop: '16px' }}>
        <Text>费用合计</Text>
        <Text className='summary-value' id='items-total'>
          {formatYuan(draftTotalFen(draft))}
        </Text>
      </View>
    </View>
  );
}
