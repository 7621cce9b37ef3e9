// Taro picks localFiles.weapp.ts or localFiles.h5.ts by TARO_ENV at build time; this file is what
// the type checker and any other platform see.
export { localFiles } from './localFiles.weapp';
