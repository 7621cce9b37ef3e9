/**
 * Reads an H5 build (dist-h5) the way a browser loads it: the scripts index.html loads, then per route
 * (app.js's `routes`, one `import()` per page) the chunks webpack fetches before showing the page.
 * Used by `npm run check:h5` (scripts/check-h5-chunks.ts) and the H5 bench (bench/h5.bench.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkFile {
  /** Path under the build, e.g. `js/lib.e1a42c6b.js`. */
  file: string;
  /** webpack chunk ids the file registers (`.push([[ids], …])`); empty for the entry. */
  ids: string[];
  bytes: number;
  /** gzip (zlib's default level, as a server sends it). */
  gzip: number;
  text: string;
}

export interface H5Build {
  dir: string;
  files: ChunkFile[];
  /** What index.html loads before any page. */
  initial: ChunkFile[];
  /** Route path (e.g. `pages/index/index`) → the chunk files its `import()` fetches, in order. */
  routes: Map<string, ChunkFile[]>;
  /** webpack chunk id → the file that registers it. */
  byId: Map<string, ChunkFile>;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const sumGzip = (files: ChunkFile[]): number => files.reduce((sum, file) => sum + file.gzip, 0);
export const sumBytes = (files: ChunkFile[]): number => files.reduce((sum, file) => sum + file.bytes, 0);

export function readH5Build(dir: string): H5Build {
  const jsDir = path.join(dir, 'js');
  const files: ChunkFile[] = readdirSync(jsDir)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => {
      const buffer = readFileSync(path.join(jsDir, name));
      const text = buffer.toString('utf8');
      const ids =
        /\.push\(\[\[([^\]]*)\]/
          .exec(text.slice(0, 600))?.[1]
          ?.split(',')
          .map((id) => id.replace(/"/g, '').trim()) ?? [];
      return { file: `js/${name}`, ids, bytes: buffer.length, gzip: gzipSync(buffer).length, text };
    });
  const byFile = new Map(files.map((file) => [file.file, file]));
  const byId = new Map(files.flatMap((file) => file.ids.map((id) => [id, file] as const)));

  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g)].map((match) => {
    const file = byFile.get((match[1] ?? '').replace(/^.*?(js\/)/, '$1'));
    if (!file) throw new Error(`index.html loads ${match[1]}, not in ${jsDir}`);
    return file;
  });

  const routes = new Map<string, ChunkFile[]>();
  for (const entry of initial) {
    for (const match of entry.text.matchAll(
      /"path":"([^"]+)","load":function(?: \w+)?\([^)]*\)\{return\[([\s\S]*?)\.then\(/g,
    )) {
      const ids = [...(match[2] ?? '').matchAll(/\.e\("?(\w+)"?\)/g)].map((id) => id[1] ?? '');
      routes.set(
        match[1] ?? '',
        ids.map((id) => {
          const file = byId.get(id);
          if (!file) throw new Error(`route ${match[1]} loads chunk ${id}, no file registers it`);
          return file;
        }),
      );
    }
  }
  if (routes.size === 0)
    throw new Error(
      `no routes found in ${initial.map((file) => file.file).join(', ')}: has Taro's app.js changed shape?`,
    );
  return { dir, files, initial, routes, byId };
}

/** Chunks fetched by exactly one route: that page's own code. */
export function pageChunks(build: H5Build): Map<ChunkFile, string> {
  const users = new Map<ChunkFile, string[]>();
  for (const [route, files] of build.routes)
    for (const file of files) users.set(file, [...(users.get(file) ?? []), route]);
  return new Map(
    [...users].filter(([, routes]) => routes.length === 1).map(([file, routes]) => [file, routes[0] ?? '']),
  );
}

/** The first page (app.config's first entry: 首页) and what it costs on a first visit. */
export function firstLoad(build: H5Build, route = [...build.routes.keys()][0] ?? ''): ChunkFile[] {
  return unique([...build.initial, ...(build.routes.get(route) ?? [])]);
}

/**
 * What a page's own code fetches with `import()` once it runs (the `.e(id)` calls in the chunks only its route loads),
 * less what its first load has: 首页 imports src/pages/index/deferred (zod, the core, the draft's upload queue) after its
 * first paint, unconditionally. Not followed further: an `import()` inside those chunks is not counted.
 */
export function afterFirstPaint(build: H5Build, route = [...build.routes.keys()][0] ?? ''): ChunkFile[] {
  const own = [...pageChunks(build)].filter(([, owner]) => owner === route).map(([file]) => file);
  const have = new Set(firstLoad(build, route));
  const fetched = own.flatMap((file) =>
    [...file.text.matchAll(/[\w$]\.e\((\d+|"[^"]+")\)/g)].map((match) => {
      const id = (match[1] ?? '').replace(/"/g, '');
      const chunk = build.byId.get(id);
      if (!chunk) throw new Error(`${file.file} imports chunk ${id}, no file registers it`);
      return chunk;
    }),
  );
  return unique(fetched).filter((file) => !have.has(file));
}

/** What opening `route` downloads after `loaded` (files already in the browser's cache). */
export function nextLoad(build: H5Build, loaded: ChunkFile[], route: string): ChunkFile[] {
  const files = build.routes.get(route);
  if (!files) throw new Error(`no route ${route} in the build (routes: ${[...build.routes.keys()].join(', ')})`);
  const have = new Set(loaded);
  return unique(files).filter((file) => !have.has(file));
}

export function findRoute(build: H5Build, suffix: string): string {
  const route = [...build.routes.keys()].find((key) => key === suffix || key.endsWith(`/${suffix}`));
  if (!route) throw new Error(`no route ending in ${suffix} (routes: ${[...build.routes.keys()].join(', ')})`);
  return route;
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];
