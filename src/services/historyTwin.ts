// Taro picks historyTwin.weapp.ts or historyTwin.h5.ts by TARO_ENV at build time; this file is what the type checker
// and any other platform see (same pattern as services/cloud/transport.ts).
export { installHistoryTwins, pushTwin } from './historyTwin.weapp';
