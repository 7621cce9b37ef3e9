export default definePageConfig({ navigationBarTitleText: '预估报销金额' });
