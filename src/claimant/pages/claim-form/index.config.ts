export default definePageConfig({ navigationBarTitleText: '填写报销信息' });
