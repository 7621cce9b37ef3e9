/**
 * The one declarative list of collections: their indexes and the security rule each needs in the
 * WeChat cloud console. The embedded store applies the same indexes (server/adapters/embedded/store.ts).
 * Security: clients may read only their own documents; every write goes through a cloud function,
 * which sets `_openid` itself.
 */
import { type ClaimDoc, summaryFields } from './repositories/claims';

export interface IndexSpec {
  fields: string[];
  unique?: boolean;
  /** Documents without the field(s) are left out of the index (so they never collide). */
  sparse?: boolean;
  /**
   * Cloud only. nedb keeps one array per indexed value and rebuilds it on every update of any
   * document in it, so an index on a field with few values (status, a flag) costs O(n) per write
   * there; the embedded store scans instead. The WeChat database has no such cost.
   */
  cloudOnly?: boolean;
  /**
   * SQLite only: the fields a list reads, kept in the index after its key (each as the projection
   * reads it, `doc -> '$.field'`), so a page of the list is answered from the index alone without
   * reading and parsing a whole document per row. Other stores ignore it.
   */
  include?: string[];
  /**
   * SQLite only: the fields a `groupCount` groups, filters or adds up by, kept in the index after its key as
   * `groupCount` reads them in SQLite (each field's value and JSON type), so the count is answered from the index
   * alone instead of parsing every matching document. Other stores ignore it.
   */
  counted?: string[];
}

export interface CollectionSpec {
  name: string;
  description: string;
  indexes: IndexSpec[];
  /**
   * Fields that hold a string or nothing (missing or null) in every document: ids, statuses, ISO times. PostgreSQL
   * holds the table to it (a CHECK constraint, server/adapters/sql/schema.ts) and so compares these fields without
   * reading each document's JSON type, which decompressed every matching claim for a count with a date range or a
   * region code (digits, which a number's text could be). Other stores ignore it.
   */
  strings?: string[];
  /** Fields that hold a boolean or nothing, held and compared the same way (`true` is the text 'true' alone). */
  booleans?: string[];
  /** The JSON for 数据库 → 集合 → 数据权限 → 自定义安全规则. */
  securityRule: { read: string; write: string };
}

/** Fields of `T` typed `V` (or null, or optional). */
type FieldOfType<T, V> = { [K in keyof T]-?: NonNullable<T[K]> extends V ? K : never }[keyof T] & string;
/** The compiler checks a `strings` list against the document's type. */
export const stringFields =
  <T>() =>
  (...fields: Array<FieldOfType<T, string>>): string[] =>
    fields;
/** The compiler checks a `booleans` list against the document's type. */
export const booleanFields =
  <T>() =>
  (...fields: Array<FieldOfType<T, boolean>>): string[] =>
    fields;

const ownerReadOnly = { read: 'doc._openid == auth.openid', write: 'false' };
const functionsOnly = { read: 'false', write: 'false' };

export const collections: CollectionSpec[] = [
  {
    name: 'claims',
    description: '报销申请（草稿与已提交），含状态、金额（分）、测算轨迹',
    indexes: [
      { fields: ['_openid'] },
      {
        fields: ['_openid', 'updatedAt'],
        // listMine's page (a claim card's fields): ≈ 5× less time per page at 100,000 claims.
        include: ['_id', ...summaryFields],
      },
      { fields: ['personKey'] },
      { fields: ['_openid', 'requestId'], unique: true, sparse: true },
      { fields: ['status'], cloudOnly: true },
      { fields: ['status', 'dueDate'] },
      { fields: ['notifyPending'], cloudOnly: true },
      // The review queue (sorted by due date): 可快速办理 (clean) and a 统筹区 (region), each with the open statuses. In
      // SQLite the page's keys are sorted from these alone (the boolean's JSON type kept in the index, as the filter
      // reads it): over 100,000 open claims a page took 2.0 s reading every claim's document, with a region 3.8 s.
      { fields: ['precheckClean', 'status', 'dueDate'], cloudOnly: true, counted: ['precheckClean'] },
      { fields: ['region', 'status', 'dueDate'] },
      // 邮寄编号 written on the envelope: the reviewer finds the claim by it to register the originals.
      { fields: ['mailCode'], sparse: true },
      // 查找申请 by the 参保人's name (the form keeps it in full; 身份证号 is found by `personKey`, its fingerprint).
      { fields: ['form.insured.name'] },
      // Claims of a status by their last change: the 补件 reminder, 3 days after the request (each drain read every claim
      // waiting for 补件 to sort them without it: 51 ms a run with 5,000 waiting).
      { fields: ['status', 'updatedAt'] },
      // Drafts by their filing deadline: the reminders 30 and 7 days before it.
      { fields: ['status', 'filingDeadline'] },
      // Claims whose originals' sending is not recorded, by filing time: the reminder 7 days after filing.
      { fields: ['originalsSentAt', 'submittedAt'], cloudOnly: true },
    ],
    strings: stringFields<ClaimDoc>()(
      '_openid',
      'requestId',
      'status',
      'updatedAt',
      'personKey',
      'region',
      'submittedAt',
      'dueDate',
      'mailCode',
      'originalsSentAt',
      'filingDeadline',
    ),
    // 可快速办理 in the review queue, and the outbox drain's flag.
    booleans: booleanFields<ClaimDoc>()('precheckClean', 'notifyPending'),
    securityRule: ownerReadOnly,
  },
  {
    name: 'claimFacts',
    description:
      '统计口径（每份已提交申请一份，_id 同申请）：申请编号（查找申请用）、状态、收件周、办结期限、预审结果、支付周与月、支付金额（分）、办结工作日与时限；随申请的每次状态变化在同一事务中重写，供统计看板按组计数',
    // The dashboard's six counts (server/claims/dashboard.ts), each answered from one of these in SQLite: by status
    // (every count but the weeks received), by the week received. Few values each: not in nedb (`cloudOnly`).
    indexes: [
      {
        fields: ['status'],
        cloudOnly: true,
        counted: [
          'status',
          'prechecked',
          'clean',
          'paidWeek',
          'paidMonth',
          'paidFen',
          'workingDays',
          'workingDaysLimit',
          'dueDate',
        ],
      },
      { fields: ['submittedWeek'], counted: ['submittedWeek'], cloudOnly: true },
      // 查找申请 by the 申请编号 a caller reads out (the claim's id ends with it; its facts carry it whole).
      { fields: ['claimNumber'] },
    ],
    securityRule: functionsOnly,
  },
  {
    name: 'jobs',
    description:
      '后台任务的进度（每项一份，_id 为任务名）：统计口径补写到哪一份申请、各类提醒扫描到的位置；只由云函数读写',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'persons',
    description:
      '家庭成员（本人与家人）：关系、姓名、参保地与险种；身份证号、银行卡号、手机号密封存储，只存掩码副本；按账号与身份证号一份',
    indexes: [{ fields: ['_openid'] }, { fields: ['_openid', 'updatedAt'] }],
    securityRule: ownerReadOnly,
  },
  {
    name: 'selves',
    description:
      '每个账号的「本人」是哪一位家庭成员（_id 为账号）：保存本人时在同一事务中读写，一个账号只有一位本人；只由云函数读写',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'files',
    description: '上传的照片与材料的元数据（文件本身在云存储）',
    // uploadedAt: the sweep of unattached uploads reads them as they turn 30 days old (server/files/sweep.ts).
    indexes: [{ fields: ['_openid', 'sha256'] }, { fields: ['uploadedAt'] }],
    strings: ['uploadedAt'],
    securityRule: ownerReadOnly,
  },
  {
    name: 'uploadDays',
    description: '每个账号每天（北京时间）上传了几张照片、多少字节：与文件记录在同一事务中累加，超过每天的上限就不再收',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'ledgers',
    description: '参保人年度累计（起付线已用、各封顶线已付、大病已付…），按人、统筹区、险种、年度一份',
    indexes: [{ fields: ['personKey', 'policyYear'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'notifications',
    description: '站内消息卡片：每次状态变化一张（标题、正文、金额、时间、已读）',
    indexes: [{ fields: ['_openid'] }, { fields: ['_openid', 'createdAt'] }, { fields: ['_openid', 'read'] }],
    securityRule: ownerReadOnly,
  },
  {
    name: 'messages',
    description: '订阅消息发件箱：每次状态变化至多一条，记录重试与结果',
    indexes: [{ fields: ['state', 'nextAttemptAt'] }, { fields: ['claimId'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'grants',
    description: '订阅消息授权计数：每位用户每个模板剩余可发条数（一次性订阅）',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'sentMessages',
    description: '本地开发专用：记录"本应发送"的订阅消息（云端不创建）',
    indexes: [{ fields: ['touser'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'receiptReadings',
    description: '票据识别结果（二维码、OCR 行及其位置、提取字段与置信度、交叉核对），按照片一份',
    indexes: [{ fields: ['_openid'] }],
    securityRule: ownerReadOnly,
  },
  {
    name: 'receiptKeys',
    description:
      '已提交票据的身份（代码+号码 / 二维码 / 医院+日期+金额，及照片内容哈希，均为散列）：_id 唯一，防重复报销',
    indexes: [{ fields: ['claimId'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'policies',
    description:
      '报销政策版本（运维人员维护）：政策文件、状态（草稿 → 待复核 → 已发布 → 已停用）、作者与复核人；已发布的版本不再修改，只被新版本取代',
    indexes: [{ fields: ['status'] }, { fields: ['policyId'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'calendars',
    description:
      '工作日历：运维人员按国务院办公厅通知录入的某年放假与调休安排（每年一份，_id 为年份），用于计算办结时限',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'calendarProposals',
    description:
      '待复核的工作日历：一位运维人员录入、尚待另一位运维人员核对生效的某年放假与调休安排（_id 为年份，含录入人与修订号）',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'paymentBatches',
    description:
      '支付批次（代发）：批次号、所含申请与金额（分）、状态（待支付 → 已支付）、经办人；收款账号只在导出时从加密字段取出',
    indexes: [{ fields: ['status'] }, { fields: ['createdAt'] }],
    securityRule: functionsOnly,
  },
  {
    name: 'paymentRequests',
    description:
      '支付请求的答复（编入批次、确认已支付；_id 由经办人与请求编号派生）：同一请求重试时答以同一批次，同一编号换了内容则拒绝；只由云函数读写',
    indexes: [],
    securityRule: functionsOnly,
  },
  {
    name: 'staff',
    description: '经办人员：openid → 角色（reviewer 审核、secondReviewer 复核、operator 运维）',
    indexes: [],
    securityRule: functionsOnly,
  },
];

export function collectionSpec(name: string): CollectionSpec {
  const spec = collections.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`Unknown collection "${name}": declare it in server/collections.ts`);
  return spec;
}
