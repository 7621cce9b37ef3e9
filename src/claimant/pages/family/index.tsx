/**
 * 家庭成员: the people this account files for (本人 and 家人), personal fields masked as the server keeps
 * them. A 家人 is removed only after a confirmation that names them; the server refuses 本人 and anyone a
 * claim in progress names, and the page shows its sentence (the code only under 详情).
 */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageShell } from '../../../components/PageShell';
import { guardianAccountNote, personRelationLabels } from '../../../core/contracts/persons';
import { claimsApi, type PersonView } from '../../../services/claims';
import { CloudError } from '../../../services/cloud';

const toError = (error: unknown, fallback: string): CloudError =>
  error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: fallback });
const nameOf = (person: PersonView): string => `${personRelationLabels[person.relation]} ${person.name}`;

export default function FamilyPage(): React.ReactNode {
  const [persons, setPersons] = useState<PersonView[] | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  async function load(): Promise<void> {
    try {
      setPersons((await claimsApi.listPersons()).items);
    } catch (error) {
      setFailure(toError(error, '加载失败，请重试'));
    }
  }

  useDidShow(() => void load());

  async function remove(person: PersonView): Promise<void> {
    setNotice('');
    setFailure(null);
    const answer = await Taro.showModal({
      title: '删除家庭成员？',
      content: `确定删除${nameOf(person)}（身份证号 ${person.idNumber}）吗？以后为${person.name}申请时，要重新填写身份证号和银行卡；已提交的申请不受影响。`,
      confirmText: '删除',
      confirmColor: '#a1160a',
      cancelText: '不删除',
    }).catch(() => ({ confirm: false }));
    if (!answer.confirm) return;
    setBusy(true);
    try {
      await claimsApi.removePerson(person.id);
      setPersons((current) => current?.filter((candidate) => candidate.id !== person.id) ?? null);
      setNotice(`已删除${nameOf(person)}`);
    } catch (error) {
      setFailure(toError(error, '删除失败，请重试'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell>
      {notice ? (
        <View className='notice notice-ok' id='family-notice'>
          {notice}
        </View>
      ) : null}
      {failure ? <ErrorBanner message={failure.message} code={failure.code} /> : null}
      {persons === null && !failure ? <View className='muted'>加载中…</View> : null}
      {persons?.length === 0 ? (
        <View className='muted' id='family-empty'>
          还没有家庭成员。填写报销申请时填过的参保人会保存在这里，下次申请直接选，不用再填身份证号和银行卡。
        </View>
      ) : null}
      {persons?.map((person) => (
        <View key={person.id} className='card' id={`family-${person.id}`}>
          <Text className='title'>{nameOf(person)}</Text>
          <View className='summary-row'>
            <Text>身份证号</Text>
            <Text className='summary-value'>{person.idNumber}</Text>
          </View>
          {person.payout ? (
            <View className='summary-row'>
              <Text>银行卡</Text>
              <Text className='summary-value'>{person.payout.accountNumber}</Text>
            </View>
          ) : null}
          {person.payout ? (
            <View className='muted' id={`family-bank-${person.id}`}>
              {/* A guardian's card says whose it is (a walk read the mother's card as the child's own). */}
              {`${person.payout.bankName}${guardianAccountNote(person.payout)}`}
            </View>
          ) : null}
          {person.relation === 'self' ? (
            <View className='muted'>本人不能删除；信息有变化时，下次申请时重新填写即可</View>
          ) : (
            <Button
              id={`family-remove-${person.id}`}
              className='danger-button'
              disabled={busy}
              onClick={() => void remove(person)}
            >
              {`删除${person.name}`}
            </Button>
          )}
        </View>
      ))}
      {persons !== null ? (
        <View className='card' id='family-add'>
          <View>
            要为其他家人报销？开始一份申请，在「参保人」处选「＋ 新增家庭成员」；提交后会保存在这里，下次直接选。
          </View>
          <Button
            id='family-add-claim'
            className='secondary-button'
            onClick={() => void Taro.navigateTo({ url: '/claimant/pages/claim-new/index' })}
          >
            为家人申请报销
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
