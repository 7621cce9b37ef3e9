export default definePageConfig({ navigationBarTitleText: '新建报销' });
