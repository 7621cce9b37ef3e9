/**
 * services/draft with its platform modules replaced (storage, the claims API, the photo uploader): whether the draft
 * in progress may be put aside (重新开始, opening another draft) once saves and photos are where they are.
 */
import type { ClaimDraftState } from '../core/claimFormDraft';
import { emptyDraft } from '../core/claimFormDraft';
import { maskIdNumber, maskPhone } from '../core/identity';
import type { UploadItem } from '../core/uploadQueue';
import type * as CloudTypes from './cloud/types';
import type * as DraftApi from './draft';

/** A save the test settles by hand. */
interface PendingSave {
  request: { id?: string; form: unknown };
  resolve: () => void;
  reject: (error: Error) => void;
}

const saves: PendingSave[] = [];
/** The form `claims.get` answers for a draft (personal values masked, as the server keeps them). */
const serverForms = new Map<string, Record<string, unknown>>();
let stored: ClaimDraftState | null = null;
const photoItems = new Map<string, UploadItem[]>();

const typedFields = new Map<string, { idNumber: string; accountNumber: string; phone: string }>();
jest.mock('./draftStorage', () => ({
  draftStorageKey: () => 'claim.draft.current',
  readStoredDraft: () => stored,
  writeStoredDraft: (draft: ClaimDraftState | null) => {
    stored = draft;
  },
  readTypedPersonalFields: (id: string) => typedFields.get(id) ?? null,
  writeTypedPersonalFields: (id: string, fields: { idNumber: string; accountNumber: string; phone: string } | null) => {
    if (fields) typedFields.set(id, fields);
    else typedFields.delete(id);
  },
}));
jest.mock('./claims', () => ({
  claimsApi: {
    saveDraft: (request: PendingSave['request']) =>
      new Promise((resolve, reject) => {
        saves.push({
          request,
          resolve: () => resolve({ id: request.id ?? 'server-id' }),
          reject,
        });
      }),
    get: async (id: string) => ({
      id,
      form: serverForms.get(id) ?? { hospital: { name: '大连市第三人民医院' } },
      materials: {},
    }),
  },
}));
jest.mock('./cloud', () => {
  const { CloudError } = jest.requireActual<typeof CloudTypes>('./cloud/types');
  let serial = 0;
  return { CloudError, newRequestId: () => `request-${(serial += 1)}` };
});
jest.mock('./network', () => ({ onNetworkBack: () => undefined }));
jest.mock('./photos', () => ({
  photoUploader: (draftId: string) => ({
    queue: { items: photoItems.get(draftId) ?? [] },
    subscribe: () => () => undefined,
    clear: () => photoItems.delete(draftId),
    restoreUploaded: () => undefined,
  }),
}));

type DraftModule = typeof DraftApi;

/** A fresh copy of services/draft (its state is module-level), over the mocks above. */
function loadDraftModule(): DraftModule {
  let loaded: DraftModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<DraftModule>('./draft');
  });
  return loaded!;
}

/** Lets every promise callback queued so far run. */
const settle = async (): Promise<void> => {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
};

function draftInProgress(): ClaimDraftState {
  const draft = emptyDraft('local-x', 'submit-x', 0);
  return {
    ...draft,
    serverId: 'draft-x',
    step: 'form',
    guide: { ...draft.guide, scenario: 'outOfRegion' },
    hospital: { ...draft.hospital, name: '大连市中心医院' },
  };
}

beforeEach(() => {
  jest.useFakeTimers();
  saves.length = 0;
  photoItems.clear();
  serverForms.clear();
  typedFields.clear();
  stored = draftInProgress();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('putting the draft in progress aside', () => {
  it('names a photo not yet uploaded, and the draft stays', async () => {
    const { getDraft, whyNotPutAside } = loadDraftModule();
    photoItems.set('local-x', [{ localId: 'p1', materialId: 'invoice', state: 'uploading' } as UploadItem]);
    expect(getDraft()?.localId).toBe('local-x');
    const reason = await whyNotPutAside('openOther');
    expect(reason).toContain('还有 1 张照片没有传上去');
    expect(getDraft()?.localId).toBe('local-x');
  });

  it.each([
    ['succeeds: allowed (it was refused while that save was on its way)', true, null],
    ['fails (offline): refused, the change not on the server', false, '还没保存到服务器'],
  ])('waits for the save that follows one on its way; when that one %s', async (_name, succeeds, expected) => {
    const { updateDraft, whyNotPutAside } = loadDraftModule();
    photoItems.set('local-x', []);
    updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市中心医院（一）' } }));
    jest.advanceTimersByTime(1300);
    expect(saves).toHaveLength(1);
    // Typed while that save is on its way: saved right after it.
    updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市中心医院（二）' } }));
    const verdict = whyNotPutAside('openOther');
    saves[0]!.resolve();
    await settle();
    expect(saves).toHaveLength(2);
    expect(JSON.stringify(saves[1]!.request.form)).toContain('大连市中心医院（二）');
    if (succeeds) saves[1]!.resolve();
    else saves[1]!.reject(new Error('network down'));
    await settle();
    const reason = await verdict;
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toContain(expected);
  });

  it('opening another draft is refused while the one in progress cannot be put aside; allowed once it is saved', async () => {
    const { getDraft, resumeServerDraft, updateDraft } = loadDraftModule();
    photoItems.set('local-x', []);
    updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市中心医院（三）' } }));
    const refused = resumeServerDraft('draft-y').catch((error: Error & { code?: string }) => error);
    await settle();
    expect(saves).toHaveLength(1);
    saves[0]!.reject(new Error('network down'));
    await settle();
    const error = (await refused) as Error & { code?: string };
    expect(error.code).toBe('DRAFT_NOT_SAVED');
    expect(getDraft()?.localId).toBe('local-x');

    const opened = resumeServerDraft('draft-y');
    await settle();
    saves.at(-1)!.resolve();
    await settle();
    expect((await opened).serverId).toBe('draft-y');
    expect(getDraft()?.serverId).toBe('draft-y');
  });
});

describe("a draft put aside and reopened on this device (a walk: a parent's 身份证号 came back empty)", () => {
  const idNumber = '210202195503022240';
  const masked = maskIdNumber(idNumber);

  it('gets back the personal values typed into it; submitted, nothing of them is kept', async () => {
    const inProgress = draftInProgress();
    stored = { ...inProgress, insured: { ...inProgress.insured, idNumber }, phone: '13812345678' };
    serverForms.set('draft-x', {
      hospital: { name: '大连市中心医院' },
      insured: { idNumber: masked },
      phone: maskPhone('13812345678'),
    });
    const drafts = loadDraftModule();
    drafts.getDraft();
    drafts.startNewDraft();
    const reopened = await drafts.resumeServerDraft('draft-x');
    expect(reopened.insured.idNumber).toBe(idNumber);
    expect(reopened.phone).toBe('13812345678');
    drafts.finishDraft();
    expect(typedFields.has('draft-x')).toBe(false);
  });

  it('leaves a value the server holds otherwise (changed on another phone since) as the server says', () => {
    const { withTypedPersonalFields } = loadDraftModule();
    const draft = draftInProgress();
    const typed = { idNumber, accountNumber: '', phone: '' };
    expect(withTypedPersonalFields(draft, { insured: { idNumber: masked } }, typed).insured.idNumber).toBe(idNumber);
    expect(
      withTypedPersonalFields(draft, { insured: { idNumber: maskIdNumber('110101199003077777') } }, typed).insured
        .idNumber,
    ).toBe(draft.insured.idNumber);
    expect(withTypedPersonalFields(draft, {}, typed)).toEqual(draft);
  });
});

describe('saving after the network comes back (a walk: 网络不太好 stayed on screen with the server answering)', () => {
  it('a save that failed offline is tried at once when the network is back, not at its next retry', async () => {
    const drafts = loadDraftModule();
    drafts.getDraft();
    drafts.updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市第二人民医院' } }));
    jest.advanceTimersByTime(1_200);
    expect(saves).toHaveLength(1);
    saves[0]!.reject(new Error('offline'));
    await settle();
    expect(drafts.syncState()).toBe('offline');
    drafts.networkBack();
    expect(saves).toHaveLength(2);
    saves[1]!.resolve();
    await settle();
    expect(drafts.syncState()).toBe('saved');
    // Back online with nothing failed: nothing is sent.
    drafts.networkBack();
    expect(saves).toHaveLength(2);
  });

  it('a save refused for want of a login says so, not 网络不太好, and is tried again (a walk: H5 before its dev login)', async () => {
    let drafts: DraftModule | undefined;
    let cloudError: typeof CloudTypes.CloudError | undefined;
    jest.isolateModules(() => {
      drafts = jest.requireActual<DraftModule>('./draft');
      cloudError = jest.requireMock<{ CloudError: typeof CloudTypes.CloudError }>('./cloud').CloudError;
    });
    drafts!.getDraft();
    drafts!.updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市第二人民医院' } }));
    jest.advanceTimersByTime(1_200);
    saves[0]!.reject(new cloudError!({ code: 'UNAUTHENTICATED', message: '请先登录' }));
    await settle();
    expect(drafts!.syncState()).toBe('signedOut');
    jest.advanceTimersByTime(20_000);
    expect(saves).toHaveLength(2);
    saves[1]!.resolve();
    await settle();
    expect(drafts!.syncState()).toBe('saved');
  });

  it('a draft finished (submitted) leaves no 网络不太好 behind', async () => {
    const drafts = loadDraftModule();
    drafts.getDraft();
    drafts.updateDraft((draft) => ({ ...draft, hospital: { ...draft.hospital, name: '大连市第二人民医院' } }));
    jest.advanceTimersByTime(1_200);
    saves[0]!.reject(new Error('offline'));
    await settle();
    expect(drafts.syncState()).toBe('offline');
    drafts.finishDraft();
    expect(drafts.syncState()).toBe('saved');
    expect(drafts.getDraft()).toBeNull();
  });
});
