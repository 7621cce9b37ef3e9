// Taro picks photoPreview.weapp.ts or photoPreview.h5.ts by TARO_ENV at build time; this file is what the type checker
// and any other platform see (same pattern as services/cloud/transport.ts).
export { previewPhotos } from './photoPreview.weapp';
