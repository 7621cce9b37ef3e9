/**
 * The steps of a claim in progress (草稿), in order. A module of its own, importing nothing: 首页 names the step a
 * draft stopped at in its first paint, before the rest of the core (and zod) has loaded (issue 13).
 */
export const draftSteps = [
  { key: 'guide', label: '选择情况' },
  { key: 'form', label: '填写信息' },
  { key: 'materials', label: '上传材料' },
  { key: 'estimate', label: '预估金额' },
  { key: 'confirm', label: '确认提交' },
] as const;
export type DraftStep = (typeof draftSteps)[number]['key'];
