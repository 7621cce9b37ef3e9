/** Opening a draft from 我的报销 or its detail page: the same on both. */
import Taro from '@tarojs/taro';
import { CloudError } from '../services/cloud';
import { resumeServerDraft } from '../services/draft';
import { stepPages } from './draftRoutes';
import { explainNotPutAside } from './putAsideDialog';

/**
 * Opens the server draft `id` at its step, continuing it on this device. When the draft in progress
 * cannot be put aside yet (a photo on its way, a change not saved), a dialog says why and what to do:
 * a dialog, because the list that was tapped may be scrolled far from any banner. Any other failure
 * is returned for the page to show.
 */
export async function openDraft(id: string): Promise<CloudError | null> {
  try {
    const draft = await resumeServerDraft(id);
    await Taro.navigateTo({ url: stepPages[draft.step] });
    return null;
  } catch (error) {
    if (error instanceof CloudError && error.code === 'DRAFT_NOT_SAVED') {
      await explainNotPutAside(error.message);
      return null;
    }
    return error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '打开草稿失败，请重试' });
  }
}
