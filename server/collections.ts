/**
 * The one declarative list of collections: their indexes and the security rule each needs in the
 * WeChat cloud console. The embedded store applies the same indexes (server/adapters/embedded/store.ts).
 * Security: clients may read only their own documents; every write goes through a cloud function,
 * which sets `_openid` itself.
 */
export interface IndexSpec {
  fields: string[];
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  description: string;
  indexes: IndexSpec[];
  /** The JSON for 数据库 → 集合 → 数据权限 → 自定义安全规则. */
  securityRule: { read: string; write: string };
}

const ownerReadOnly = { read: 'doc._openid == auth.openid', write: 'false' };
const functionsOnly = { read: 'false', write: 'false' };

export const collections: CollectionSpec[] = [
  {
    name: 'claims',
    description: '报销申请（草稿与已提交），含状态、金额（分）、测算轨迹',
    indexes: [
      { fields: ['_openid', 'updatedAt'] },
      { fields: ['_openid', 'requestId'], unique: true },
      { fields: ['status', 'dueDate'] },
    ],
    securityRule: ownerReadOnly,
  },
  {
    name: 'files',
    description: '上传的照片与材料的元数据（文件本身在云存储）',
    indexes: [{ fields: ['_openid', 'sha256'] }],
    securityRule: ownerReadOnly,
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
