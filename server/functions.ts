/** Every cloud function by name: the local server routes `POST /api/fn/:name` here; each cloud entry binds one. */
import { claimsFunction } from './handlers/claims';
import { filesFunction } from './handlers/files';
import type { FunctionDefinition } from './handlers/framework';

export const functions: Record<string, FunctionDefinition> = {
  claims: claimsFunction,
  files: filesFunction,
};
