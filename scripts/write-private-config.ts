/**
 * Reads the AppID from .env (the one place it is configured, see .env.example) and writes it into
 * project.private.config.json, which WeChat DevTools lays over project.config.json. Nothing to do
 * when there is no .env: the committed placeholder (touristappid) stays in force.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

function readEnv(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*"?([^"#]*)"?\s*(#.*)?$/.exec(line);
    if (match?.[1]) values[match[1]] = (match[2] ?? '').trim();
  }
  return values;
}

if (existsSync('.env')) {
  const env = readEnv('.env');
  const appid = env.TARO_APP_ID;
  if (appid) {
    const file = 'project.private.config.json';
    const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    writeFileSync(file, `${JSON.stringify({ ...current, appid, projectname: 'yibao-baoxiao-zhushou' }, null, 2)}\n`);
    console.log(`project.private.config.json: appid ${appid}`);
  }
}
