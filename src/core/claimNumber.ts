/** The number a person and a bank read for a claim: YB + the last ten characters of its id, upper case. */
export const claimNumberOf = (claimId: string): string => `YB${claimId.slice(-10).toUpperCase()}`;
