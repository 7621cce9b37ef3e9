/**
 * Mini-program face: WeChat's own overlays (the photo preview) already close on Back, and pages are WeChat's; there is
 * no browser history to add to (services/historyTwin.h5.ts is the H5 face).
 */
export function installHistoryTwins(): void {
  // Nothing to install.
}

export function pushTwin(_onBack: () => void): (() => void) | null {
  return null;
}
