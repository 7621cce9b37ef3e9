/** H5 face: there are no WeChat subscribe messages in the browser; the in-app 消息 cards stand in. */
export function requestClaimSubscriptions(): Promise<void> {
  return Promise.resolve();
}
