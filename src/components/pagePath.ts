/** A page of the stack as its address without query ("/claimant/pages/claim-form/index"), however the platform writes it. */
export function pagePathOf(page: { route?: string } | undefined): string {
  return `/${(page?.route ?? '').replace(/^\//, '').split('?')[0]}`;
}
