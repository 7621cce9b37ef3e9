import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import type { ChunkGraph, Module } from 'webpack';
import { firstPaintCoreTest, inFirstPage, isNodeModule } from './h5FirstPaint';

// 小程序 AppID 与云开发环境 ID 只在一处配置：项目根目录的 .env（见 .env.example 与 README「部署」）。
export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'yibao-baoxiao-zhushou',
    date: '2026-11-23',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    // TARO_SOURCE_ROOT: the H5 bench builds its hello-world baseline (bench/fixtures/h5-hello) with this same config.
    sourceRoot: process.env.TARO_SOURCE_ROOT ?? 'src',
    // TARO_OUTPUT_ROOT lets two builds run side by side (e.g. separate browser-test builds); default dist-h5 / dist.
    outputRoot: process.env.TARO_OUTPUT_ROOT ?? (isH5 ? 'dist-h5' : 'dist'),
    plugins: [],
    defineConstants: {},
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: process.env.CI !== 'true' },
    mini: {
      // project.config.json has "es6": false (WeChat does not transpile on upload, and WeChat on iOS
      // < 13.4 runs no ES2020): packages that ship modern syntax go through Babel like our own code.
      // `npm run check:cloud` parses every dist/*.js as ES5.
      compile: { include: [(modulePath: string) => /node_modules[\\/]zod[\\/]/.test(modulePath)] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      // Images as files, never inlined in the JS (Taro inlines those under 2 KB): the tab bar's eight icons were ≈ 11 KB of
      // base64 in the app chunk that every first load parsed (issue 13). `limit: true` is Taro's way to say "never"
      // (maxSize 0). A content hash in the name: the local server sends static files as immutable.
      imageUrlLoaderOption: {
        limit: true,
        name: (filename: string) =>
          `static/images/${filename.replace(/^src[\\/]/, '').replace(/(\.\w+)$/, '.[contenthash:8]$1')}`,
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      webpackChain(chain) {
        // Pages are loaded on demand (an import() per route). Taro's default splits only the entry's chunks, so every page
        // chunk carried its own copy of zod, Taro's components and src/core (dist-h5/js was 5.7 MB). Now the entry's
        // libraries (React, Taro's runtime and router) are in `framework`, loaded by index.html; the libraries and the
        // src/core code that several pages use in `lib` and `core`, loaded with the first page and cached; what only 2–3
        // pages share (the image preview, say) in chunks of their own, so 首页 does not download it.
        // src/services and src/components stay in each page's chunk, as before: their module state (the draft, the upload
        // and receipt-reading queues) has been per page in H5 (one instance per app in weapp); with one shared instance the
        // claimant browser test stalled after a reload on 上传材料 in 4 of 6 runs on a loaded machine (per page: 5 of 5
        // passed), to be understood before they are shared. `npm run check:h5` verifies the build.
        // 首页's first paint (issue 13) loads framework, app, lib, core-light and its own chunk only (config/h5FirstPaint.ts):
        // `lib` holds the widely shared libraries 首页 itself uses (Taro's components and H5 APIs), `lib-pages` the others
        // (Taro's modal and toast, the system info), zod is a chunk of its own, and the few core modules 首页 paints with
        // (importing nothing) are in `core-light`, not `core`. The rest 首页 needs (the live draft, policies, the deadline)
        // it imports after its first paint (src/pages/index/loadDeferred.h5.ts), so zod and core are in the browser's cache
        // before 填写 opens.
        const widelyShared = 4;
        chain.optimization.splitChunks({
          chunks: 'all',
          minSize: 0,
          cacheGroups: {
            default: false,
            defaultVendors: false,
            framework: {
              name: 'framework',
              test: /[\\/]node_modules[\\/]/,
              chunks: 'initial',
              priority: 40,
              enforce: true,
            },
            zod: {
              name: 'zod',
              test: /[\\/]node_modules[\\/]zod[\\/]/,
              chunks: 'async',
              priority: 35,
              enforce: true,
            },
            lib: {
              name: 'lib',
              test: (module: Module, { chunkGraph }: { chunkGraph: ChunkGraph }) =>
                isNodeModule(module) && inFirstPage(module, chunkGraph),
              chunks: 'async',
              minChunks: widelyShared,
              priority: 32,
              enforce: true,
            },
            libPages: {
              name: 'lib-pages',
              test: /[\\/]node_modules[\\/]/,
              chunks: 'async',
              minChunks: widelyShared,
              priority: 30,
              enforce: true,
            },
            coreLight: {
              name: 'core-light',
              test: firstPaintCoreTest,
              chunks: 'async',
              priority: 25,
              enforce: true,
            },
            core: {
              name: 'core',
              test: /[\\/]src[\\/]core[\\/]/,
              chunks: 'async',
              minChunks: widelyShared,
              priority: 20,
              enforce: true,
            },
            shared: {
              test: /[\\/](node_modules|src[\\/]core)[\\/]/,
              chunks: 'async',
              minChunks: 2,
              priority: 10,
              enforce: true,
            },
          },
        });
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        // The root font follows the screen's narrow side up to 24 px (Taro's default 40): at 1024 × 768 an agency's desk
        // screen showed everything twice a phone's size, a queue row 808 px tall (a walk). Phones keep 20 px (375 wide).
        pxtransform: { enable: true, config: { maxRootSize: 24 } },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  return merge({}, baseConfig, process.env.NODE_ENV === 'development' ? {} : {});
});
