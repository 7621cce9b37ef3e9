/** 帮助: deadlines, what the materials look like, hotlines (from the sources), FAQ. */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { PageShell } from '../../../components/PageShell';
import { materialDefinitions, materialIds } from '../../../core/materials';
import { insuranceTypeNames, type PolicyDocument } from '../../../core/policy';
import { usePolicies } from '../../../components/usePolicies';

interface Hotline {
  name: string;
  number: string;
}

const nationalHotlines: Hotline[] = [
  { name: '国家医保服务热线（投诉、举报）', number: '12393' },
  { name: '社会保障服务热线', number: '12333' },
  { name: '政务服务便民热线', number: '12345' },
];

const regionalHotlines: Array<{ region: string; lines: Hotline[] }> = [
  {
    region: '大连市医保局',
    lines: [
      { name: '参保与个人账户部', number: '0411-83709172' },
      { name: '异地就医与审核部', number: '0411-83709182' },
      { name: '结算部', number: '0411-83709170' },
    ],
  },
  {
    region: '深圳市福田区',
    lines: [
      { name: '医保咨询', number: '0755-88366831' },
      { name: '医保咨询', number: '0755-82978723' },
    ],
  },
  {
    region: '北京市',
    lines: [
      { name: '东城区医保', number: '65006161' },
      { name: '西城区医保', number: '66007070' },
    ],
  },
  { region: '扬州市', lines: [{ name: '市本级医保', number: '0514-80979851' }] },
];

const faq: Array<{ q: string; a: string }> = [
  {
    q: '什么情况下需要手工报销？',
    a: '异地就医没能直接结算、医院系统故障、社保卡异常、急诊未带卡、单位欠费或身份变更冻结了医保等，先全额垫付后，可以申请手工（零星）报销。',
  },
  {
    q: '多久内要提交？',
    a: '一般在出院或就诊后 3 到 6 个月内（各地不同：如上海 3 个月、佛山 180 天、北京为次年 1 月 20 日前）。超期可能不予受理，请尽早提交。本应用会按您所在地区的政策提醒剩余天数。',
  },
  {
    q: '多久能拿到钱？',
    a: '经办机构受理后一般在 15 到 30 个工作日内完成审核结算，特殊情况可延长；款项打到参保人本人名下的银行账户。',
  },
  {
    q: '原始票据要寄吗？',
    a: '不少地区要求交验纸质原件。请保管好所有原始票据，按提示邮寄或自送；商业保险理赔也可能需要它们。',
  },
  { q: '发现明细清单和发票对不上怎么办？', a: '先核对费用明细清单与发票金额，有误请联系医院更正后再提交。' },
];

/** "出院或就诊后 90 天内" / "次年 1 月 20 日前", per policy in force. */
const deadlinesOf = (policies: readonly PolicyDocument[]) =>
  policies.map((policy) => ({
    key: policy.id,
    who: `${policy.regionName}${insuranceTypeNames[policy.insuranceType]}`,
    rule:
      policy.filingDeadline.kind === 'daysAfter'
        ? `出院或就诊后 ${policy.filingDeadline.days} 天内`
        : `次年 ${policy.filingDeadline.month} 月 ${policy.filingDeadline.day} 日前`,
    sample: policy.sample,
  }));

function call(number: string): void {
  void Taro.makePhoneCall({ phoneNumber: number.replace(/-/g, '') }).catch(() => undefined);
}

export default function HelpPage(): React.ReactNode {
  const deadlines = deadlinesOf(usePolicies());
  return (
    <PageShell>
      <View className='card' id='help-deadlines'>
        <Text className='title'>多久内要提交</Text>
        {deadlines.map((line) => (
          <View key={line.key} className='list-row'>
            <Text>{`${line.who}：${line.rule}`}</Text>
            {line.sample ? <Text className='tag tag-sample'>示例</Text> : null}
          </View>
        ))}
        <View className='muted'>超过期限经办机构可能不予受理。填写时本应用会按您的参保地提醒还剩几天。</View>
      </View>
      <View className='card' id='help-materials'>
        <Text className='title'>材料长什么样</Text>
        {materialIds.map((id) => (
          <View key={id} className='list-row'>
            <View>{materialDefinitions[id].label}</View>
            <View className='muted'>{materialDefinitions[id].why}</View>
            {materialDefinitions[id].examples ? (
              <View className='muted'>{`常见样子：${materialDefinitions[id].examples!.join('、')}`}</View>
            ) : null}
          </View>
        ))}
      </View>
      <View className='card'>
        <Text className='title'>常见问题</Text>
        {faq.map((item) => (
          <View key={item.q} className='list-row'>
            <View>{item.q}</View>
            <View className='muted'>{item.a}</View>
          </View>
        ))}
      </View>
      <View className='card' id='hotlines'>
        <Text className='title'>咨询电话</Text>
        {nationalHotlines.map((line) => (
          <View key={line.number} className='list-row' onClick={() => call(line.number)}>
            <Text>{`${line.name}：`}</Text>
            <Text className='phone-link'>{line.number}</Text>
          </View>
        ))}
        {regionalHotlines.map((group) => (
          <View key={group.region} className='list-row'>
            <View>{group.region}</View>
            {group.lines.map((line) => (
              <View key={line.number} className='muted' onClick={() => call(line.number)}>
                {`${line.name}：`}
                <Text className='phone-link'>{line.number}</Text>
              </View>
            ))}
          </View>
        ))}
      </View>
    </PageShell>
  );
}
