/** The dev-login session of the H5 build (the mini-program's identity comes from WeChat itself). */
import Taro from '@tarojs/taro';

const TOKEN_KEY = 'devToken';
const USER_KEY = 'devUser';

export interface DevSessionUser {
  key: string;
  name: string;
  roles: string[];
}

export function getDevToken(): string {
  return (Taro.getStorageSync(TOKEN_KEY) as string | undefined) ?? '';
}

export function getDevUser(): DevSessionUser | null {
  const user = Taro.getStorageSync(USER_KEY) as DevSessionUser | '' | undefined;
  return user ? user : null;
}

export function setDevSession(token: string, user: DevSessionUser): void {
  Taro.setStorageSync(TOKEN_KEY, token);
  Taro.setStorageSync(USER_KEY, user);
}

export function clearDevSession(): void {
  Taro.removeStorageSync(TOKEN_KEY);
  Taro.removeStorageSync(USER_KEY);
}

/** True where identity must be chosen by hand (the H5 build served by the local server). */
export const needsDevLogin = process.env.TARO_ENV === 'h5';
