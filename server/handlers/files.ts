/** The `files` function: a claimant registers what they uploaded to cloud storage. */
import * as z from 'zod';
import type { StoredFile } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

export const fileIdSchema = z.string({ error: '缺少文件编号' }).regex(/^cloud:\/\/[A-Za-z0-9._-]+\/[A-Za-z0-9._/-]{1,200}$/, '文件编号格式不正确');

export const filesFunction: FunctionDefinition = {
  register: defineAction({
    input: z.strictObject({ fileID: fileIdSchema, name: z.string().max(120).default('upload') }),
    roles: ['claimant'],
    async run(context, input): Promise<StoredFile> {
      return context.files.register(context.caller.openid, input.fileID, input.name);
    },
  }),
};
