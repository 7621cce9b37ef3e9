export default definePageConfig({ navigationBarTitleText: '经办审核 · 申请详情' });
