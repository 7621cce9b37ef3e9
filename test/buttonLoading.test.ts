/**
 * A Taro `<Button loading>` (a Stencil web component in H5) puts its spinner in among the button's own children; when
 * React replaces a text child the spinner was put in beside, the DOM update fails (`insertBefore … is not a child of
 * this node`, a desk walk on 识别这张票据 and the browser watch on 消息's 显示更早的消息). So a Button with `loading`
 * has fixed words, or words that change inside one element of their own (`<Text>{…}</Text>`), which React updates in
 * place.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx$/.test(name) ? [full] : [];
  });
}

/** The children of every `<Button …loading=…>…</Button>` whose words are an expression straight in the button. */
export function loadingButtonsWithChangingWords(source: string): string[] {
  const found: string[] = [];
  for (let start = source.indexOf('<Button'); start >= 0; start = source.indexOf('<Button', start + 1)) {
    if (!/[\s>]/.test(source[start + 7] ?? '')) continue;
    // The opening tag ends at the first `>` outside braces (`onClick={() => …}` has one inside).
    let depth = 0;
    let end = start + 7;
    for (; end < source.length; end += 1) {
      const char = source[end];
      if (char === '{') depth += 1;
      else if (char === '}') depth -= 1;
      else if (char === '>' && depth === 0) break;
    }
    const attributes = source.slice(start + 7, end);
    if (!/\bloading=/.test(attributes) || attributes.endsWith('/')) continue;
    const close = source.indexOf('</Button>', end);
    const words = source.slice(end + 1, close).trim();
    if (words.startsWith('{')) found.push(words.replace(/\s+/g, ' ').slice(0, 120));
  }
  return found;
}

describe('Buttons with a loading spinner keep React and the spinner apart', () => {
  const srcDir = path.join(__dirname, '..', 'src');
  const files = sourceFiles(srcDir);

  it('finds the buttons it checks', () => {
    const withLoading = files.filter((file) => /<Button\b[^>]*\bloading=/.test(readFileSync(file, 'utf8')));
    expect(withLoading.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => [path.relative(srcDir, file), file]))('%s', (_name, file) => {
    expect(loadingButtonsWithChangingWords(readFileSync(file, 'utf8'))).toEqual([]);
  });

  it('the check itself catches words that change straight in a loading button, and lets fixed or wrapped ones by', () => {
    const sample = [
      "<Button id='a' loading={busy}>{busy ? '正在保存' : '保存'}</Button>",
      "<Button id='b' loading={busy}>保存</Button>",
      "<Button id='c' loading={busy}>\n  <Text>{`还有 ${n} 条`}</Text>\n</Button>",
      "<Button id='d'>{`还有 ${n} 条`}</Button>",
      "<Button id='e' loading={more} onClick={() => void load()}>\n  {`显示更早的消息（还有 ${n} 条）`}\n</Button>",
    ].join('\n');
    expect(loadingButtonsWithChangingWords(sample)).toEqual([
      "{busy ? '正在保存' : '保存'}",
      '{`显示更早的消息（还有 ${n} 条）`}',
    ]);
  });
});
