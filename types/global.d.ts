/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5' | undefined;
    TARO_APP_ID?: string;
    /** 云开发环境 ID，来自 .env（见 .env.example）。 */
    TARO_APP_CLOUD_ENV?: string;
  }
}
declare module 'wx-server-sdk';
