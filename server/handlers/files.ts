/** The `files` function: a claimant registers what they uploaded to cloud storage. */
import * as z from 'zod';
import { fileIdSchema } from '../../src/core/contracts/claim';
import { optionalPlainText } from '../../src/core/text';
import type { StoredFile } from '../ports';
import { defineAction, type FunctionDefinition } from './framework';

/** The name it was uploaded under (shown to reviewers): plain text, no control or bidi characters. */
const uploadNameSchema = optionalPlainText('文件名', 120).default('upload');

export const filesFunction: FunctionDefinition = {
  register: defineAction({
    input: z.strictObject({ fileID: fileIdSchema, name: uploadNameSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<StoredFile> {
      return context.files.register(context.caller.openid, input.fileID, input.name);
    },
  }),
};
