/**
 * Receipt OCR in the cloud through the real SDK's `openapi.ocr.printedText`: the photo already in
 * storage is read by its temporary URL (no copy uploaded to `ocr-tmp/`, no timer left behind), the
 * request has the documented shape, and WeChat's refusals — which the SDK throws — become Chinese
 * DomainErrors: quota exhausted (45009 / 45011) says so, anything else is OCR_FAILED.
 */
import type { WxCloud } from '../../server/adapters/cloud/sdk';
import { WeChatOcr, type WeChatOpenApi } from '../../server/ocr/wechat';
import { cloudEmulatorPorts } from '../support/ports';
import { jpegBytes } from '../support/fixtures';
import { checkPrintedText } from './wechatLimits';

async function setup() {
  const ports = await cloudEmulatorPorts();
  const stored = await ports.files.put('openid-a', 'receipt.jpg', 'image/jpeg', await jpegBytes('门诊收费票据'));
  const ocr = new WeChatOcr((ports.cloud as WxCloud).openapi as unknown as WeChatOpenApi, () =>
    ports.files.temporaryUrl(stored.fileID),
  );
  return { ports, stored, ocr };
}

describe('WeChat OCR through the real SDK', () => {
  it('reads the stored photo by its temporary URL with the documented request and uploads nothing', async () => {
    const { ports, stored, ocr } = await setup();
    ports.emulator.openapi['ocr.printedText'] = () => ({
      errcode: 0,
      errmsg: 'ok',
      items: [
        {
          text: '票据号码：0012345678',
          pos: {
            left_top: { x: 1, y: 2 },
            right_top: { x: 9, y: 2 },
            right_bottom: { x: 9, y: 6 },
            left_bottom: { x: 1, y: 6 },
          },
        },
      ],
      img_size: { w: 320, h: 200 },
    });
    const timersBefore = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const lines = await ocr.recognise(await ports.files.bytes(stored.fileID));
    expect(lines).toEqual([
      {
        text: '票据号码：0012345678',
        box: [
          [1, 2],
          [9, 2],
          [9, 6],
          [1, 6],
        ],
      },
    ]);
    const [call] = ports.emulator.openapiCalls;
    expect(call?.api).toBe('ocr.printedText');
    expect(checkPrintedText(call?.data ?? {})).toEqual([]);
    expect(String(call?.data.img_url)).toContain('/uploads/');
    expect(ports.emulator.count('storage.getUploadMetadata')).toBe(0);
    expect([...ports.emulator.files.keys()].filter((id) => id.includes('ocr-tmp'))).toEqual([]);
    expect(process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length).toBeLessThanOrEqual(
      timersBefore,
    );
  });

  it('turns an exhausted quota (the SDK throws errCode 45009) into OCR_QUOTA_EXCEEDED', async () => {
    const { ports, stored, ocr } = await setup();
    ports.emulator.openapi['ocr.printedText'] = () => ({
      errcode: 45009,
      errmsg: 'reach max api daily quota limit rid: 1',
    });
    await expect(ocr.recognise(await ports.files.bytes(stored.fileID))).rejects.toMatchObject({
      code: 'OCR_QUOTA_EXCEEDED',
      message: expect.stringContaining('手动填写'),
    });
  });

  it('turns any other refusal into OCR_FAILED with the errcode kept for the logs', async () => {
    const { ports, stored, ocr } = await setup();
    ports.emulator.openapi['ocr.printedText'] = () => ({ errcode: 101003, errmsg: 'image decode failed' });
    await expect(ocr.recognise(await ports.files.bytes(stored.fileID))).rejects.toMatchObject({
      code: 'OCR_FAILED',
      details: { errcode: 101003 },
    });
  });
});
