// Taro picks transport.weapp.ts or transport.h5.ts by TARO_ENV at build time; this file is what
// the type checker and any other platform see.
export { transport } from './transport.weapp';
