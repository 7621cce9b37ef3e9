import { describeCallFailure } from './callFailure';

describe('describeCallFailure (wx.cloud.callFunction rejections)', () => {
  it('a crashed function is FUNCTION_FAILED, not the network', () => {
    expect(
      describeCallFailure({
        errCode: -504002,
        errMsg: 'cloud.callFunction:fail -504002 functions execute fail. TypeError: x is not a function',
      }).code,
    ).toBe('FUNCTION_FAILED');
  });
  it('a function past its timeout is FUNCTION_TIMEOUT', () => {
    expect(
      describeCallFailure({
        errCode: -504002,
        errMsg: 'cloud.callFunction:fail -504002 functions execute fail. Invoking task timed out after 3 seconds',
      }).code,
    ).toBe('FUNCTION_TIMEOUT');
  });
  it('no connection is NETWORK', () => {
    expect(describeCallFailure({ errCode: -1, errMsg: 'cloud.callFunction:fail request:fail timeout' }).code).toBe(
      'NETWORK',
    );
    expect(describeCallFailure(new Error('offline')).code).toBe('NETWORK');
  });
});
