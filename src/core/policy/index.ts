export * from './schema';
export * from './types';
export * from './resolve';
export * from './select';
export * from './dates';
export { samplePolicies, samplePolicyFiles, samplePolicyById } from './samples';
