/**
 * Sample policies built from the numbers in the seed texts (see each file's `sources` and `notes`).
 * Every one is marked `sample: true`: the app must say 示例 whenever it uses them.
 */
import beijingEmployee from './samples/beijing-employee-2025.json';
import dalianEmployee from './samples/dalian-employee-2025.json';
import dalianResident from './samples/dalian-resident-2025.json';
import shishiResident from './samples/shishi-resident-2025.json';
import { parsePolicy } from './resolve';
import type { PolicyDocument } from './schema';

/** The raw JSON documents, as an operator would write them. */
export const samplePolicyFiles: Readonly<Record<string, unknown>> = {
  'dalian-resident-2025': dalianResident,
  'dalian-employee-2025': dalianEmployee,
  'beijing-employee-2025': beijingEmployee,
  'shishi-resident-2025': shishiResident,
};

const parseSamples = (): readonly PolicyDocument[] => Object.values(samplePolicyFiles).map((file) => parsePolicy(file));

/**
 * The same, validated (a broken sample fails at import, loudly). Marked pure so that a bundle not
 * using it (the local server: it seeds the raw files) leaves out the ~150 ms of parsing at start.
 */
export const samplePolicies: readonly PolicyDocument[] = /* @__PURE__ */ parseSamples();

export function samplePolicyById(id: string): PolicyDocument | undefined {
  return samplePolicies.find((policy) => policy.id === id);
}
