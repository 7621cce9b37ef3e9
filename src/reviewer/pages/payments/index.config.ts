export default definePageConfig({ navigationBarTitleText: '支付批次', enablePullDownRefresh: true });
