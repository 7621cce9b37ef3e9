/** The claim as filed, in full (reviewers only): 参保人, 医院与就诊, 收款账户, 纸质原件. */
import { diseaseKinds } from '../../../../core/engine/claim';
import { guideVisitKindLabels, outOfRegionKindLabels, scenarios } from '../../../../core/scenarios';
import type { ReviewClaimDetail } from '../../../../services/review';
import { Field, Section } from '../parts';
import { guardianRelationLabels, personRelationLabels } from '../../../../core/contracts/persons';

const insuranceTypeLabels: Record<string, string> = { employee: '职工医保', resident: '居民医保' };

export function ClaimFacts({ detail }: { detail: ReviewClaimDetail }): React.ReactNode {
  const form = detail.form;
  const regionName = detail.estimate?.policy.regionName ?? form?.insured.region ?? '';
  return (
    <>
      {form ? (
        <>
          <Section title='参保人（完整信息仅经办人员可见）' id='insured'>
            <Field label='姓名' value={form.insured.name} id='insured-name' />
            <Field label='身份证号' value={form.insured.idNumber} id='insured-id-number' />
            <Field
              label='与申请人关系'
              value={
                form.insured.relation === 'self'
                  ? '本人'
                  : `${detail.personRelation && detail.personRelation !== 'self' ? personRelationLabels[detail.personRelation] : '家属'}（代办）`
              }
              id='insured-relation'
            />
            <Field
              label='险种'
              value={`${insuranceTypeLabels[form.insured.insuranceType] ?? form.insured.insuranceType}${form.insured.retired ? '（退休）' : ''}`}
            />
            <Field label='参保地' value={`${regionName}（${form.insured.region}）`} />
            <Field label='联系电话' value={form.phone} id='insured-phone' />
          </Section>
          <Section title='医院与就诊' id='visit'>
            <Field
              label='医院'
              value={`${form.hospital.name}（${['', '一级', '二级', '三级'][form.hospital.level] ?? ''}医院）`}
            />
            <Field
              label='报销原因'
              value={`${scenarios[form.guide.scenario].label}${form.guide.outOfRegionKind ? `：${outOfRegionKindLabels[form.guide.outOfRegionKind].label}` : ''}`}
            />
            <Field label='就诊类型' value={guideVisitKindLabels[form.guide.visitKind]} />
            {diseaseKinds.has(form.guide.visitKind) ? (
              <Field
                label='病种'
                value={detail.diseaseName ?? '未填写（按病种报销，未填写时医保不支付）'}
                id='visit-disease'
              />
            ) : null}
            {form.visit.visitDate ? <Field label='就诊日期' value={form.visit.visitDate} /> : null}
            {form.visit.admissionDate ? <Field label='入院日期' value={form.visit.admissionDate} /> : null}
            {form.visit.dischargeDate ? <Field label='出院日期' value={form.visit.dischargeDate} /> : null}
            <Field label='电子票据' value={form.electronicInvoice ? '是' : '否'} />
          </Section>
          <Section title='收款账户' id='payout'>
            <Field label='开户银行' value={form.payout.bankName} />
            <Field label='账号' value={form.payout.accountNumber} id='payout-account' />
            <Field label='户名' value={form.payout.holderName} />
            {form.payout.guardianRelation ? (
              <Field
                label='账户户主'
                value={`参保人的${guardianRelationLabels[form.payout.guardianRelation]}（未成年人用监护人账户，核对监护关系证明）`}
                id='payout-guardian'
              />
            ) : null}
          </Section>
        </>
      ) : null}
      <Section title='纸质原件' id='originals'>
        <Field label='是否需要' value={detail.paperOriginalsRequired ? '本地政策要求交验纸质原件' : '不需要'} />
        {detail.originals ? (
          <Field
            label='递交方式'
            value={`${detail.originals.method === 'mail' ? '邮寄' : '自送'}${detail.originals.trackingNumber ? `，快递单号 ${detail.originals.trackingNumber}` : ''}`}
          />
        ) : null}
        <Field
          label='收件情况'
          value={detail.paperOriginalsReceived ? '已收到并登记' : '尚未收到'}
          id='originals-received'
        />
      </Section>
    </>
  );
}
