import fc from 'fast-check';
import { jsonSyntaxProblem } from './jsonSyntax';
import { samplePolicyFiles } from './samples';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** "line:column" (1-based) of an offset, to read the cases below. */
function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
}

describe('jsonSyntaxProblem', () => {
  it('accepts exactly what JSON.parse accepts: JSON of every shape, and the same with one character dropped, added or changed', () => {
    const anyJson = fc
      .jsonValue()
      .chain((value) => fc.record({ text: fc.constantFrom(JSON.stringify(value), JSON.stringify(value, null, 2)) }));
    fc.assert(
      fc.property(anyJson, ({ text }) => {
        expect(jsonSyntaxProblem(text)).toBeNull();
      }),
      { numRuns: 500 },
    );
    const edited = fc
      .tuple(
        fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value, null, 2)),
        fc.nat(),
        fc.constantFrom('drop', 'add', 'change'),
        fc.constantFrom(...'{}[]",:：，“”0123456789.-eE tfn\\\n\'x '),
      )
      .map(([text, index, edit, char]) => {
        const at = text.length === 0 ? 0 : index % text.length;
        if (edit === 'drop') return text.slice(0, at) + text.slice(at + 1);
        if (edit === 'add') return text.slice(0, at) + char + text.slice(at);
        return text.slice(0, at) + char + text.slice(at + 1);
      });
    fc.assert(
      fc.property(edited, (text) => {
        const problem = jsonSyntaxProblem(text);
        expect(problem === null).toBe(parses(text));
        if (problem) {
          expect(problem.offset).toBeGreaterThanOrEqual(0);
          expect(problem.offset).toBeLessThanOrEqual(text.length);
          expect(problem.hint.length).toBeGreaterThan(3);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every sample policy as written', () => {
    for (const sample of Object.values(samplePolicyFiles))
      expect(jsonSyntaxProblem(JSON.stringify(sample, null, 2))).toBeNull();
  });

  it.each([
    ['a full-width colon', '{\n  "id": "dalian",\n  "version"： "2026"\n}', '3:12', '全角的“：”，应是半角的“:”'],
    ['a full-width comma', '{\n  "a": 1，\n  "b": 2\n}', '2:9', '全角的“，”，应是半角的“,”'],
    ['Chinese quotes', '{ “id”: 1 }', '1:3', '全角的““”，应是半角的“"”'],
    ['a comma after the last item of an array', '{\n  "bands": [1, 2,\n  ]\n}', '2:17', '最后一项后面多了一个逗号'],
    ['a comma after the last item of an object', '{\n  "a": 1,\n}', '2:9', '最后一项后面多了一个逗号'],
    ['a missing comma between items', '{\n  "a": 1\n  "b": 2\n}', '3:3', '上一项后面缺少半角逗号'],
    ['a missing comma in an array', '[1 2]', '1:4', '上一项后面缺少半角逗号'],
    ['a name without quotes', '{ id: 1 }', '1:3', '名称要用半角双引号'],
    ['single quotes', '{ "id": \'x\' }', '1:9', '不能用单引号'],
    ['a missing colon', '{ "id" 1 }', '1:8', '缺少半角冒号'],
    ['a string not closed before the line ends', '{\n  "name": "大连,\n  "b": 1\n}', '2:11', '没有结束的半角双引号'],
    ['a bracket left open', '{\n  "a": [1, 2\n', '3:1', '结尾缺少“]”'],
    ['brackets that do not pair', '{ "a": [1, 2} }', '1:13', '括号不配对：这里应是“]”'],
    ['content after the end', '{ "a": 1 } }', '1:12', 'JSON 在前面已经结束'],
    ['a percent sign', '{ "ratio": 70% }', '1:14', '不能写“%”'],
    ['a leading zero', '{ "a": 070 }', '1:8', '数字的写法不对'],
    ['True in capitals', '{ "a": True }', '1:8', '全小写的 true'],
    ['a bad escape', '{ "path": "C:\\dir" }', '1:14', '反斜杠'],
    ['an empty file', '  ', '1:3', '文件是空的'],
    ['a byte-order mark', '\ufeff{}', '1:1', '看不见的字符'],
  ])('%s: where and what', (_name, text, position, hint) => {
    expect(parses(text)).toBe(false);
    const problem = jsonSyntaxProblem(text)!;
    expect(where(text, problem.offset)).toBe(position);
    expect(problem.hint).toContain(hint);
  });

  it('walks a deep nest without overflowing the stack', () => {
    expect(jsonSyntaxProblem('['.repeat(200_000))).toMatchObject({ offset: 200_000 });
    expect(jsonSyntaxProblem(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeNull();
  });
});
