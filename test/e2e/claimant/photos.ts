/** Real JPEG receipt photos for the browser tests, made with sharp from an SVG (a printed receipt look). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * A paper material (诊断证明, 身份证…) of its own: the server refuses one picture given for two materials, by content too,
 * so each material gets its own photo, as a person takes one of each.
 */
export async function materialPhoto(dir: string, material: string): Promise<string> {
  return receiptJpeg(dir, `material-${material}.jpg`, ['证明材料', `（${material}）`, '（加盖公章）']);
}

export async function receiptJpeg(dir: string, name: string, lines: string[]): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const width = 1200;
  const height = 1600;
  const text = lines
    .map((line, index) => `<text x="80" y="${200 + index * 90}" font-size="56" fill="#222">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbf8f0"/><rect x="40" y="40" width="${width - 80}" height="${height - 80}" fill="none" stroke="#c33" stroke-width="6"/>${text}</svg>`;
  const file = path.join(dir, name);
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(file);
  return file;
}
