/**
 * What 首页's first paint may load in H5 (issue 13), used by config/index.ts to split the chunks and by
 * `npm run check:h5` to verify the build.
 * - src/core: only the modules below, each importing nothing, in a small chunk of their own (`core-light`); the check
 *   fails if any other core module, or zod, is in 首页's first load. Add a module here only if it imports nothing.
 * - node_modules: what 首页's own chunk uses and most pages share (Taro's components and the H5 APIs it calls) is in
 *   `lib`; what only other pages use (zod, Taro's modal and toast, the system info) is not.
 */
import type { ChunkGraph, Module } from 'webpack';

export const firstPaintCoreModules: readonly string[] = ['draftSteps', 'money', 'movedPages', 'statusLabels'];

/** Matches the core modules above (a path under src/core, without the extension). */
export const firstPaintCoreTest = new RegExp(`[\\\\/]src[\\\\/]core[\\\\/](${firstPaintCoreModules.join('|')})\\.ts$`);

/** 首页, the first page of app.config (also the bench's hello-world page, which has one page). */
const firstPage = /[\\/]pages[\\/]index[\\/]index\.tsx$/;

const resourceOf = (module: Module): string => (module as Module & { resource?: string }).resource ?? '';

/** Whether a module is in the chunk of 首页's route (splitChunks' `test` sees the chunks before they are split). */
export function inFirstPage(module: Module, chunkGraph: ChunkGraph): boolean {
  for (const chunk of chunkGraph.getModuleChunksIterable(module))
    for (const other of chunkGraph.getChunkModulesIterable(chunk)) if (firstPage.test(resourceOf(other))) return true;
  return false;
}

export const isNodeModule = (module: Module): boolean => /[\\/]node_modules[\\/]/.test(resourceOf(module));
