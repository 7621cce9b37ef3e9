/**
 * The policies the app computes with, and the operators' side of the `policies` function.
 *
 * The instant estimate, the filing deadline and the list of regions use the policies the agency has
 * published (`policies.published`), read at most once a minute and kept on the device for the next
 * start; offline, or before the first answer, the last list kept — or the bundled samples. The
 * figure that counts is always the server's, computed at submission with the same published list.
 */
import Taro from '@tarojs/taro';
import type {
  PolicyCasesRun,
  PolicyDiffView,
  PolicySaveDraftInput,
  PolicyStepInput,
  PolicyVersionDetail,
  PolicyVersionSummary,
  PublishedPolicies,
} from '../core/contracts/policies';
import { policyDocumentSchema, samplePolicies, type PolicyDocument } from '../core/policy';
import { call } from './cloud';

const STORAGE_KEY = 'publishedPolicies';
const REFRESH_MS = 60_000;

/** Regions keep the order the app showed them in (the samples' order, new policies after), so choices never jump. */
const rank = (policy: PolicyDocument): number => {
  const at = samplePolicies.findIndex((sample) => sample.id === policy.id);
  return at === -1 ? samplePolicies.length : at;
};

/** The documents that parse with this build's schema; none → null (use what we had). */
function parsed(sources: readonly unknown[]): PolicyDocument[] | null {
  const documents = sources.flatMap((source) => {
    const result = policyDocumentSchema.safeParse(source);
    return result.success ? [result.data] : [];
  });
  return documents.length > 0
    ? documents.sort((a, b) => rank(a) - rank(b) || a.region.localeCompare(b.region) || a.id.localeCompare(b.id))
    : null;
}

function kept(): PolicyDocument[] | null {
  try {
    const raw = Taro.getStorageSync(STORAGE_KEY) as unknown;
    return Array.isArray(raw) ? parsed(raw) : null;
  } catch {
    return null;
  }
}

let current: { policies: readonly PolicyDocument[]; fetchedAt: number } | null = null;
let loading: Promise<readonly PolicyDocument[]> | null = null;

/** What the app computes with right now (never waits). */
export function currentPolicies(): readonly PolicyDocument[] {
  current ??= { policies: kept() ?? samplePolicies, fetchedAt: 0 };
  return current.policies;
}

/** Asks the cloud for the published policies when the list is older than a minute; keeps what it had on any failure. */
export function refreshPolicies(now = Date.now()): Promise<readonly PolicyDocument[]> {
  const had = currentPolicies();
  if (current && now - current.fetchedAt < REFRESH_MS) return Promise.resolve(had);
  loading ??= call<PublishedPolicies>('policies', 'published', {})
    .then((answer) => {
      const documents = parsed(answer.sources);
      current = { policies: documents ?? had, fetchedAt: now };
      if (documents) Taro.setStorageSync(STORAGE_KEY, answer.sources);
      return current.policies;
    })
    .catch(() => had)
    .finally(() => {
      loading = null;
    });
  return loading;
}

/** The operators' actions (role operator; the server checks it on every call). */
export const policiesApi = {
  list: () => call<{ items: PolicyVersionSummary[] }>('policies', 'list', {}),
  get: (id: string) => call<PolicyVersionDetail>('policies', 'get', { id }),
  saveDraft: (input: PolicySaveDraftInput) => call<PolicyVersionDetail>('policies', 'saveDraft', input),
  runCases: (id: string) => call<PolicyCasesRun>('policies', 'runCases', { id }),
  diff: (id: string) => call<PolicyDiffView>('policies', 'diff', { id }),
  submitForReview: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'submitForReview', seen),
  approve: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'approve', seen),
  returnToDraft: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'returnToDraft', seen),
  retire: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'retire', seen),
  /** 申请停用 (a second operator confirms with `retire`); 撤销停用申请. */
  requestRetire: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'requestRetire', seen),
  cancelRetire: (seen: PolicyStepInput) => call<PolicyVersionDetail>('policies', 'cancelRetire', seen),
};
