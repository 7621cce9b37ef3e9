// Taro picks download.weapp.ts or download.h5.ts by TARO_ENV at build time; this file is what the
// type checker and any other platform see.
export { printPage, saveFile, saveText } from './download.weapp';
