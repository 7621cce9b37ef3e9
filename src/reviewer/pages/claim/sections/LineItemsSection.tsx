/**
 * 费用明细: the lines as filed (or as a reviewer corrected them), the editor for 修改费用明细 (category,
 * amount, remove/restore, a reason that goes into the record; for a claim paid by disease its 病种, as the 认定证明
 * says — the claimant's wrong pick otherwise left 退回 and filing again) and the record of corrections.
 */
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { LineItem } from '../../../../core/engine';
import { fenToInputText, formatYuan, parseYuan } from '../../../../core/money';
import { timeFieldValue } from '../../../../core/notifications';
import { CloudError } from '../../../../services/cloud';
import { ErrorBanner } from '../../../../components/ErrorBanner';
import { Chips } from '../../../components/Chips';
import { correctionText, linesDisease } from '../../../../core/lineCorrections';
import { categoryName, categoryOptions, Section } from '../parts';
import type { ReviewClaim } from '../useReviewClaim';

interface EditRow {
  name: string;
  amountText: string;
  category: LineItem['category'];
  removed: boolean;
  original: LineItem;
  /** A line the reviewer adds (a receipt a 补件 brought): its name is typed too. */
  added?: boolean;
}

/** 费用合计 of lines, in fen. */
const totalOf = (items: readonly Pick<LineItem, 'amountFen'>[]): number =>
  items.reduce((sum, item) => sum + item.amountFen, 0);

const invalid = (message: string) => new CloudError({ code: 'VALIDATION_FAILED', message });

export function LineItemsSection({ claim }: { claim: ReviewClaim }): React.ReactNode {
  const [editing, setEditing] = useState<EditRow[] | null>(null);
  const [editReason, setEditReason] = useState('');
  const [editErrors, setEditErrors] = useState<Record<number, string>>({});
  /** What stopped the save, said beside the button (the page's banner was thousands of pixels above it). */
  const [editFailure, setEditFailure] = useState<CloudError | null>(null);
  /** The corrected total is above the filed one: said, and saved on a second tap (a walk typed 99,999.00 for 1,280.50). */
  const [increaseSeen, setIncreaseSeen] = useState<string | null>(null);
  /** 病种 chosen in the editor (a claim paid by disease whose lines name one disease, or none). */
  const [editDisease, setEditDisease] = useState<string | null>(null);
  const { detail, busy } = claim;
  // The editor closed on a conflict: the page is shorter, and the sentence above the lines is brought into view.
  useEffect(() => {
    if (editFailure?.code === 'CONFLICT')
      void Taro.pageScrollTo({ selector: '#line-error', duration: 0 }).catch(() => undefined);
  }, [editFailure]);
  if (!detail) return null;
  const filedFen = totalOf(detail.form?.lineItems ?? []);
  const lineItems = detail.reviewedLineItems ?? detail.form?.lineItems ?? [];
  const canEdit = detail.actions.includes('correctLineItems');
  const filedDisease = detail.form?.visit.disease ?? null;
  /** The claim's disease as it stands (the lines' where a reviewer set it), or null. */
  const currentDisease = linesDisease(lineItems) ?? filedDisease;
  // Lines naming different diseases (a pharmacy bill for two) keep theirs: one choice would overwrite them.
  const diseaseEditable =
    detail.diseaseChoices.length > 0 && lineItems.every((line) => !line.disease || line.disease === currentDisease);
  const diseaseName = (code: string): string =>
    detail.diseaseChoices.find((disease) => disease.code === code)?.name ?? code;

  function startEditing(): void {
    setEditing(
      lineItems.map((item) => ({
        name: item.name,
        amountText: fenToInputText(item.amountFen),
        category: item.category,
        removed: false,
        original: item,
      })),
    );
    setEditReason('');
    setEditErrors({});
    setEditFailure(null);
    setIncreaseSeen(null);
    setEditDisease(currentDisease);
  }

  function addRow(): void {
    setEditing((rows) => [
      ...(rows ?? []),
      {
        name: '',
        amountText: '',
        category: 'A',
        removed: false,
        added: true,
        original: { name: '', amountFen: 0, category: 'A' },
      },
    ]);
    setIncreaseSeen(null);
  }

  function patchRow(index: number, patch: Partial<EditRow>): void {
    setEditing((rows) => rows?.map((row, at) => (at === index ? { ...row, ...patch } : row)) ?? null);
    setIncreaseSeen(null);
  }

  async function saveEdits(): Promise<void> {
    if (!editing) return;
    const errors: Record<number, string> = {};
    const kept: LineItem[] = [];
    editing.forEach((row, index) => {
      if (row.removed) return;
      const parsed = parseYuan(row.amountText);
      if (row.added && !row.name.trim()) errors[index] = '请填写费用名称（按票据或明细清单）';
      else if (!parsed.ok) errors[index] = parsed.message;
      else if (parsed.fen === 0) errors[index] = '金额须大于 0；不予支付的项目请删除，或改为丙类';
      else kept.push({ ...row.original, name: row.name.trim(), category: row.category, amountFen: parsed.fen });
    });
    setEditErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (kept.length === 0) return setEditFailure(invalid('至少保留一项费用'));
    // Another 病种: every line names it (the engine pays each line by its own disease, else by the claim's).
    const newDisease = diseaseEditable && editDisease && editDisease !== currentDisease ? editDisease : null;
    const lines = newDisease ? kept.map((line) => ({ ...line, disease: newDisease })) : kept;
    if (editReason.trim().length < 2) return setEditFailure(invalid('请写明修改原因'));
    setEditFailure(null);
    const keptFen = totalOf(kept);
    const increase = keptFen > filedFen ? `${keptFen}` : null;
    if (increase !== null && increaseSeen !== increase) {
      setIncreaseSeen(increase);
      return;
    }
    const refused = await claim.saveLineItems(lines, editReason.trim());
    if (!refused) return setEditing(null);
    if (refused.code !== 'CONFLICT') return setEditFailure(refused);
    // Someone changed the claim since this editor opened: its rows are stale, and a second tap saved them over the
    // other's correction (a walk). The editor closes on the lines as they are now.
    setEditing(null);
    setEditFailure(
      new CloudError({
        code: 'CONFLICT',
        message: '这份申请刚刚被其他人修改过，您的修改没有保存。下面是现在的费用明细，请看过后再决定是否修改。',
      }),
    );
  }

  const failureBanner = editFailure ? (
    <View id='line-error'>
      <ErrorBanner message={editFailure.message} code={editFailure.code} />
    </View>
  ) : null;

  return (
    <Section title={detail.reviewedLineItems ? '费用明细（已由经办人员修改）' : '费用明细'} id='line-items'>
      {editing ? (
        <View id='line-edit'>
          {diseaseEditable ? (
            <View className='field'>
              <Chips
                id='line-disease'
                label='病种（按认定证明核对；改了，每一项费用按新病种计算）'
                options={detail.diseaseChoices.map((disease) => ({ value: disease.code, label: disease.name }))}
                selected={editDisease ? [editDisease] : []}
                onToggle={(code) => {
                  setEditDisease(code);
                  setIncreaseSeen(null);
                }}
              />
            </View>
          ) : null}
          {editing.map((row, index) => (
            <View key={index} className={`edit-row ${row.removed ? 'edit-row-removed' : ''}`}>
              {row.added ? (
                <View className='field'>
                  <Text className='field-label' id={`line-${index}-name-label`}>
                    费用名称
                  </Text>
                  <Input
                    id={`line-${index}-name`}
                    className='field-input'
                    aria-labelledby={`line-${index}-name-label`}
                    maxlength={100}
                    value={row.name}
                    onInput={(event) => patchRow(index, { name: event.detail.value })}
                  />
                </View>
              ) : (
                <Text className='edit-row-name'>{row.name}</Text>
              )}
              {row.removed ? (
                <View className='muted'>已删除</View>
              ) : (
                <>
                  <Chips
                    id={`line-${index}-category`}
                    label='类别'
                    options={categoryOptions}
                    selected={[row.category]}
                    onToggle={(category) => patchRow(index, { category })}
                  />
                  <View className='field'>
                    <Text className='field-label' id={`line-${index}-amount-label`}>
                      金额（元）
                    </Text>
                    <Input
                      id={`line-${index}-amount`}
                      className='field-input'
                      type='digit'
                      aria-labelledby={`line-${index}-amount-label`}
                      value={row.amountText}
                      onInput={(event) => patchRow(index, { amountText: event.detail.value })}
                    />
                    {editErrors[index] ? <View className='field-error'>{editErrors[index]}</View> : null}
                  </View>
                </>
              )}
              <Button
                id={`line-${index}-remove`}
                className='secondary-button'
                onClick={() => patchRow(index, { removed: !row.removed })}
              >
                {row.removed ? '恢复这一项' : '删除这一项'}
              </Button>
            </View>
          ))}
          <View className='field'>
            <Text className='field-label' id='edit-reason-label'>
              修改原因（必填，记入审核记录）
            </Text>
            <Textarea
              id='edit-reason'
              className='field-input textarea'
              aria-labelledby='edit-reason-label'
              maxlength={200}
              value={editReason}
              onInput={(event) => setEditReason(event.detail.value)}
            />
          </View>
          <Button id='line-add' className='secondary-button' onClick={addRow}>
            ＋ 增加一项费用（补件带来的票据等）
          </Button>
          {increaseSeen !== null ? (
            <View className='notice' id='line-increase'>
              {`修改后费用合计 ${formatYuan(Number(increaseSeen))}，比申请时的 ${formatYuan(filedFen)} 多 ${formatYuan(Number(increaseSeen) - filedFen)}。请对照票据核对金额；无误再点「确认保存」。`}
            </View>
          ) : null}
          {detail.status === 'reviewPassed' ? (
            <View className='notice' id='line-review-again'>
              这份申请已审核通过：修改后会退回「初审通过」，需要重新审核，审核按修改后的金额进行。
            </View>
          ) : null}
          {failureBanner}
          <Button id='line-save' className='primary-button' disabled={busy} onClick={() => void saveEdits()}>
            {increaseSeen !== null ? '确认保存（合计比申请时多）' : '保存修改并重新估算'}
          </Button>
          <Button
            id='line-cancel'
            className='secondary-button'
            onClick={() => {
              setEditing(null);
              setEditFailure(null);
            }}
          >
            放弃修改
          </Button>
        </View>
      ) : (
        <>
          {failureBanner}
          {lineItems.map((item, index) => (
            <View key={index} className='kv'>
              <Text className='kv-label'>{`${item.name}（${categoryName(item.category)}）`}</Text>
              <Text className='kv-value'>{formatYuan(item.amountFen)}</Text>
            </View>
          ))}
          {canEdit ? (
            <Button id='line-edit-start' className='secondary-button' onClick={startEditing}>
              修改费用明细
            </Button>
          ) : null}
        </>
      )}
      {detail.corrections.length > 0 ? (
        <View className='corrections' id='corrections'>
          <Text className='field-label'>修改记录</Text>
          {detail.corrections.map((correction, index) => (
            <View key={index} className='list-row muted'>
              {`${timeFieldValue(new Date(correction.at))}　${correctionText(correction, diseaseName)}；原因：${correction.reason}`}
            </View>
          ))}
        </View>
      ) : null}
    </Section>
  );
}
