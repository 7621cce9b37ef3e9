/**
 * The dev login: stands in, on the local server only, for the OPENID that WeChat injects into a
 * cloud function. Tokens are HMAC-signed with the secret in `.data/secret.key`. The mini-program
 * build never contains it (the app's H5 transport is the only caller).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Role, Store } from '../ports';
import type { StaffDoc } from '../identity';

export interface DevUser {
  key: string;
  openid: string;
  name: string;
  description: string;
  roles: Role[];
}

export const devUsers: DevUser[] = [
  {
    key: 'zhangsan',
    openid: 'dev-openid-zhangsan',
    name: '张三',
    description: '参保人（职工医保）',
    roles: ['claimant'],
  },
  { key: 'lisi', openid: 'dev-openid-lisi', name: '李四', description: '参保人（居民医保）', roles: ['claimant'] },
  {
    key: 'reviewer',
    openid: 'dev-openid-reviewer',
    name: '王经办',
    description: '审核员（初审、审核、结算）',
    roles: ['claimant', 'reviewer'],
  },
  {
    key: 'reviewer2',
    openid: 'dev-openid-reviewer2',
    name: '赵复核',
    description: '复核员（可审核，负责复核）',
    roles: ['claimant', 'reviewer', 'secondReviewer'],
  },
  {
    key: 'operator',
    openid: 'dev-openid-operator',
    name: '运维甲',
    description: '运维人员（维护报销政策）',
    roles: ['claimant', 'operator'],
  },
  {
    key: 'operator2',
    openid: 'dev-openid-operator2',
    name: '运维乙',
    description: '运维人员（复核发布政策）',
    roles: ['claimant', 'operator'],
  },
];

const TOKEN_SECONDS = 7 * 24 * 3600;

export function issueToken(secret: Buffer, openid: string, nowMs: number): string {
  const body = Buffer.from(JSON.stringify({ sub: openid, exp: Math.floor(nowMs / 1000) + TOKEN_SECONDS })).toString(
    'base64url',
  );
  const signature = createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}

/** The openid a token was issued for, or null when it is forged, malformed or expired. */
export function verifyToken(secret: Buffer, token: string, nowMs: number): string | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 < nowMs) return null;
    return claims.sub;
  } catch {
    return null;
  }
}

/** Makes the dev reviewers staff members in the local store (the cloud has its own staff records). */
export async function seedDevStaff(store: Store): Promise<void> {
  const staff = store.collection<StaffDoc>('staff');
  for (const user of devUsers) {
    const staffRoles = user.roles.filter((role) => role !== 'claimant');
    if (staffRoles.length === 0) continue;
    const existing = await staff.get(user.openid);
    if (!existing) await staff.insert({ _id: user.openid, name: user.name, roles: staffRoles });
    else await staff.update(user.openid, { name: user.name, roles: staffRoles });
  }
}

/** 127.0.0.0/8, ::1 (in any spelling), ::ffff:127.x.y.z and `localhost`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  // The URL parser writes an IPv6 address in its one short form: ::1, or ::ffff:7fxx:xxxx for 127/8.
  const short = new URL(`http://[${name}]/`).hostname;
  return short === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(short);
}

export interface DevLoginDecision {
  enabled: boolean;
  /** One line for the start-up log, in Chinese: on or off, and why. */
  reason: string;
}

/**
 * Whether the dev login (and the dev tokens it signs) is on: by default only when the server listens
 * on loopback, where nobody but this machine can reach it. On any other address it is off unless
 * DEV_LOGIN=1 says so explicitly; DEV_LOGIN=0 turns it off everywhere.
 */
export function devLoginDecision(host: string, setting: string | undefined): DevLoginDecision {
  const loopback = isLoopbackHost(host);
  const flag = setting?.trim();
  if (flag === '0' || flag === 'false') return { enabled: false, reason: `开发登录：已关闭（DEV_LOGIN=${flag}）` };
  if (flag === '1' || flag === 'true') {
    return loopback
      ? { enabled: true, reason: `开发登录：已开启（DEV_LOGIN=${flag}，监听本机地址 ${host}）` }
      : {
          enabled: true,
          reason: `开发登录：已开启（DEV_LOGIN=${flag}）。注意：监听的 ${host} 不是本机地址，能访问这个端口的任何人都可以用测试账号（包括审核员）登录`,
        };
  }
  if (flag) return { enabled: false, reason: `开发登录：已关闭（DEV_LOGIN=${flag} 不是 1 或 0，按关闭处理）` };
  return loopback
    ? { enabled: true, reason: `开发登录：已开启（监听本机地址 ${host}，只有本机可以访问）` }
    : { enabled: false, reason: `开发登录：已关闭（监听的 ${host} 不是本机地址；确需开启请设置 DEV_LOGIN=1）` };
}
