// The dev login page exists only in the H5 build served by the local cloud, never in the mini-program.
const devPages = process.env.TARO_ENV === 'h5' ? ['pages/dev-login/index'] : [];

export default defineAppConfig({
  pages: ['pages/index/index', 'pages/claims/index', 'pages/claim-new/index', 'pages/claim-detail/index', ...devPages],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#07c160',
    navigationBarTitleText: '医保报销助手',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f6f7',
  },
});
