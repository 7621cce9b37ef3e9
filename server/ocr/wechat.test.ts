import { extractReceipt } from '../../src/core/receipt';
import { WECHAT_MAX_BYTES, WeChatOcr, fromPrintedText } from './wechat';

const pos = (x: number, y: number, w: number, h: number) => ({
  leftTop: { x, y },
  rightTop: { x: x + w, y },
  rightBottom: { x: x + w, y: y + h },
  leftBottom: { x, y: y + h },
});

describe('WeChat printedText adapter', () => {
  it('asks for a temporary URL, calls printedText and maps items to lines with boxes', async () => {
    const calls: unknown[] = [];
    const openapi = {
      ocr: {
        printedText: async (request: unknown) => {
          calls.push(request);
          return {
            errCode: 0,
            errMsg: 'openapi.ocr.printedText:ok',
            items: [
              { text: '票据号码：', pos: pos(10, 10, 100, 20) },
              { text: '0012345678', pos: pos(120, 11, 150, 20) },
              { text: '' },
            ],
            imgSize: { w: 800, h: 600 },
          };
        },
      },
    };
    const ocr = new WeChatOcr(openapi, async (image) => `https://tmp.example/${image.length}`);
    const lines = await ocr.recognise(Buffer.from('jpeg bytes'));
    expect(calls).toEqual([{ type: 'photo', imgUrl: 'https://tmp.example/10' }]);
    expect(lines).toEqual([
      {
        text: '票据号码：',
        box: [
          [10, 10],
          [110, 10],
          [110, 30],
          [10, 30],
        ],
      },
      {
        text: '0012345678',
        box: [
          [120, 11],
          [270, 11],
          [270, 31],
          [120, 31],
        ],
      },
    ]);
    expect(extractReceipt(lines).fields.number?.value).toBe('0012345678');
  });

  it('refuses images over 2 MB before calling WeChat', async () => {
    const ocr = new WeChatOcr({ ocr: { printedText: () => Promise.reject(new Error('must not be called')) } }, () =>
      Promise.reject(new Error('no')),
    );
    await expect(ocr.recognise(Buffer.alloc(WECHAT_MAX_BYTES + 1))).rejects.toMatchObject({
      code: 'RECEIPT_TOO_LARGE',
    });
  });

  it('turns an error code into a Chinese DomainError', () => {
    expect(() => fromPrintedText({ errcode: 101000, errmsg: 'image error' })).toThrow(
      expect.objectContaining({ code: 'OCR_FAILED' }),
    );
    expect(fromPrintedText({ errCode: 0, items: [{ text: '合计', pos: { leftTop: { x: 1 } } }] })).toEqual([
      { text: '合计' },
    ]);
  });
});
