/**
 * The `me` function: who the caller is to the app — the roles from the `staff` collection — so the
 * mini-program can show staff their way to the reviewer pages (我的 → 审核工作台, 政策管理). Roles decide
 * nothing here: every reviewer action checks them again on the server.
 */
import * as z from 'zod';
import type { Role } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

export interface WhoAmI {
  roles: Role[];
  /** True for reviewers and second reviewers: the app shows the entry to the reviewer pages. */
  reviewer: boolean;
  /** True for operators: the app shows the entry to the policy pages (政策管理). */
  operator: boolean;
}

export const meFunction: FunctionDefinition = {
  whoami: defineAction({
    input: z.strictObject({}),
    roles: ['claimant'],
    async run(context): Promise<WhoAmI> {
      const roles = [...context.caller.roles];
      return {
        roles,
        reviewer: roles.includes('reviewer') || roles.includes('secondReviewer'),
        operator: roles.includes('operator'),
      };
    },
  }),
};
