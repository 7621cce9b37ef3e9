// The main package: the four tab pages only (they must stay in it). Keep them first.
const tabPages = ['pages/index/index', 'pages/claims/index', 'pages/messages/index', 'pages/me/index'];

// The claimant's other pages (the claim steps, a claim's page, 帮助, 家庭成员) live in a subpackage, out of the main
// package's 700 KB budget; the tab pages preload it, so the first 新建报销 does not wait for a download.
const claimantPages = [
  'pages/claim-new/index',
  'pages/claim-form/index',
  'pages/claim-materials/index',
  'pages/claim-estimate/index',
  'pages/claim-confirm/index',
  'pages/claim-detail/index',
  'pages/help/index',
  'pages/family/index',
];

// Reviewer pages live in a subpackage, out of the main package's size budget; so do the operators' policy pages (政策管理).
const reviewerPages: string[] = [
  'pages/queue/index',
  'pages/claim/index',
  'pages/policies/index',
  'pages/policy/index',
  'pages/payments/index',
  'pages/dashboard/index',
  'pages/audit/index',
];

// Pages that exist only in the H5 build served by the local cloud (dev login, recorded messages), never in the mini-program.
const devPages = process.env.TARO_ENV === 'h5' ? ['pages/dev-login/index', 'pages/dev-messages/index'] : [];

const preloadClaimant = { network: 'all' as const, packages: ['claimant'] };

export default defineAppConfig({
  pages: [...tabPages, ...devPages],
  subPackages: [
    { root: 'claimant', pages: claimantPages },
    { root: 'reviewer', pages: reviewerPages },
  ],
  preloadRule: {
    'pages/index/index': preloadClaimant,
    'pages/claims/index': preloadClaimant,
    'pages/messages/index': preloadClaimant,
  },
  tabBar: {
    color: '#4e5969',
    selectedColor: '#06794a',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/claims/index',
        text: '我的报销',
        iconPath: 'assets/tabbar/claims.png',
        selectedIconPath: 'assets/tabbar/claims-active.png',
      },
      {
        pagePath: 'pages/messages/index',
        text: '消息',
        iconPath: 'assets/tabbar/messages.png',
        selectedIconPath: 'assets/tabbar/messages-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tabbar/me.png',
        selectedIconPath: 'assets/tabbar/me-active.png',
      },
    ],
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#07c160',
    navigationBarTitleText: '医保报销助手',
    navigationBarTextStyle: 'white',
    // 'default' also shows the page title (and back / home) in the H5 build, as the mini-program does.
    navigationStyle: 'default',
    backgroundColor: '#f5f6f7',
  },
});
