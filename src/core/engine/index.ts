export * from './claim';
export * from './estimate';
export * from './invariants';
export * from './claimantParts';
