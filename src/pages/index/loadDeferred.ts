// Taro picks loadDeferred.weapp.ts or loadDeferred.h5.ts by TARO_ENV at build time; this file is what the type checker
// and any other platform see (same pattern as services/download.ts).
export { deferredIfLoaded, loadDeferred } from './loadDeferred.weapp';
