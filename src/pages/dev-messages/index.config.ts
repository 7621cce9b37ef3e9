export default definePageConfig({ navigationBarTitleText: '模拟发送的订阅消息' });
