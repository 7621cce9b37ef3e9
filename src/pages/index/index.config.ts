export default definePageConfig({ navigationBarTitleText: '医保报销助手' });
