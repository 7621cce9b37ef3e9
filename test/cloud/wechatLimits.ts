/**
 * The documented shape of WeChat open API requests, as the SDK sends them (snake_case), to check
 * what the emulator captured. Subscribe message value limits (订阅消息参数值内容限制): thing ≤ 20
 * characters; phrase ≤ 5 汉字 only; character_string ≤ 32 digits, letters or symbols; number ≤ 32
 * digits; amount = one currency symbol + ≤ 10 digits (decimals allowed), optionally ending in 元;
 * time / date = 年月日 and/or 24-hour time, a range joined with "~"; name ≤ 10 汉字 or ≤ 20 letters.
 * Empty values are refused (errcode 47003 "value is empty").
 */
const DATE = '(\\d{4}年\\d{1,2}月\\d{1,2}日|\\d{4}-\\d{2}-\\d{2}|\\d{4}/\\d{1,2}/\\d{1,2})';
const TIME = '([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?';
const POINT = `(${DATE}( ${TIME})?|${TIME})`;

const rules: Record<string, (value: string) => boolean> = {
  thing: (v) => [...v].length <= 20,
  phrase: (v) => /^[\u4e00-\u9fff]{1,5}$/.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  number: (v) => /^\d{1,32}(\.\d+)?$/.test(v),
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  amount: (v) => /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(v) && /[¥￥$]|元$/.test(v),
  time: (v) => new RegExp(`^${POINT}(~${POINT})?$`).test(v),
  date: (v) => new RegExp(`^${POINT}(~${POINT})?$`).test(v),
  name: (v) => /^[\u4e00-\u9fff]{1,10}$/.test(v) || /^[A-Za-z .·-]{1,20}$/.test(v),
  phone_number: (v) => /^[\d+\-() ]{1,17}$/.test(v),
};

/** Problems of a captured `subscribeMessage.send` request; [] when it is as documented. */
export function checkSubscribeMessage(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of ['touser', 'template_id'])
    if (typeof data[key] !== 'string' || data[key] === '') problems.push(`${key} missing`);
  if (typeof data.page !== 'string' || data.page.startsWith('/') || data.page.length > 1024)
    problems.push('page must be a path without a leading slash');
  if (!['developer', 'trial', 'formal'].includes(String(data.miniprogram_state)))
    problems.push('miniprogram_state must be developer, trial or formal');
  if (data.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(String(data.lang)))
    problems.push('lang invalid');
  const fields = data.data as Record<string, { value?: unknown }> | undefined;
  if (!fields || typeof fields !== 'object') return [...problems, 'data missing'];
  for (const [key, entry] of Object.entries(fields)) {
    const kind = key.replace(/\d+$/, '');
    const value = entry?.value;
    const rule = rules[kind];
    if (typeof value !== 'string' || value === '') problems.push(`${key}: empty`);
    else if (!rule) problems.push(`${key}: unknown field kind ${kind}`);
    else if (!rule(value)) problems.push(`${key}: "${value}" breaks the ${kind} limit`);
  }
  return problems;
}

/** A captured `ocr.printedText` request: type photo|scan and an http(s) img_url (or an uploaded img). */
export function checkPrintedText(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!['photo', 'scan'].includes(String(data.type))) problems.push('type must be photo or scan');
  if (typeof data.img_url !== 'string' || !/^https?:\/\//.test(data.img_url))
    problems.push('img_url must be an http(s) URL');
  return problems;
}
