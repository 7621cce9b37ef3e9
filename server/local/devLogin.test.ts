import { devLoginDecision, isLoopbackHost, issueToken, verifyToken } from './devLogin';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1'],
    ['127.8.9.10'],
    ['::1'],
    ['[::1]'],
    ['0:0:0:0:0:0:0:1'],
    ['0000:0000:0000:0000:0000:0000:0000:0001'],
    ['::ffff:127.0.0.1'],
    ['localhost'],
    ['LocalHost'],
    ['api.localhost'],
  ])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    ['0.0.0.0'],
    ['::'],
    ['192.168.1.20'],
    ['10.0.0.1'],
    ['128.0.0.1'],
    ['::ffff:10.0.0.1'],
    ['::2'],
    ['example.com'],
    ['localhost.example.com'],
    ['127.0.0.1.nip.io'],
    [''],
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('devLoginDecision', () => {
  it.each([
    ['127.0.0.1', undefined, true, '已开启（监听本机地址 127.0.0.1'],
    ['::1', undefined, true, '已开启（监听本机地址 ::1'],
    ['0.0.0.0', undefined, false, '已关闭（监听的 0.0.0.0 不是本机地址；确需开启请设置 DEV_LOGIN=1）'],
    ['192.168.1.20', '', false, '已关闭（监听的 192.168.1.20 不是本机地址'],
    ['0.0.0.0', '1', true, '已开启（DEV_LOGIN=1）。注意'],
    ['0.0.0.0', 'true', true, '已开启（DEV_LOGIN=true）。注意'],
    ['0.0.0.0', 'yes', false, '已关闭（DEV_LOGIN=yes 不是 1 或 0'],
    ['127.0.0.1', '0', false, '已关闭（DEV_LOGIN=0）'],
    ['127.0.0.1', '1', true, '已开启（DEV_LOGIN=1，监听本机地址'],
  ])('HOST=%s DEV_LOGIN=%s → %s', (host, setting, enabled, reason) => {
    const decision = devLoginDecision(host, setting);
    expect(decision.enabled).toBe(enabled);
    expect(decision.reason).toContain(reason);
    expect(decision.reason.startsWith('开发登录：')).toBe(true);
  });
});

describe('dev tokens', () => {
  const secret = Buffer.alloc(32, 9);
  it('verify only when signed with the secret and not expired', () => {
    const token = issueToken(secret, 'dev-openid-reviewer', 1_000_000);
    expect(verifyToken(secret, token, 1_000_000)).toBe('dev-openid-reviewer');
    expect(verifyToken(Buffer.alloc(32, 8), token, 1_000_000)).toBeNull();
    expect(verifyToken(secret, `${token}x`, 1_000_000)).toBeNull();
    expect(verifyToken(secret, token, 1_000_000 + 8 * 24 * 3600 * 1000)).toBeNull();
  });
});
