export default definePageConfig({ navigationBarTitleText: '经办审核 · 待办', enablePullDownRefresh: true });
