/**
 * 删除草稿 from 我的报销 (a walk: empty drafts piled up, four alike, and nothing removed them): asked first, since it
 * cannot be undone, then gone on the server and, when it is the draft this phone is filling, here too.
 */
import Taro from '@tarojs/taro';
import { claimsApi } from '../services/claims';
import { CloudError } from '../services/cloud';
import { finishDraft, getDraft } from '../services/draft';

export async function deleteDraftAsked(claim: { id: string; title: string }): Promise<CloudError | 'deleted' | 'kept'> {
  const { confirm } = await Taro.showModal({
    title: '删除这份草稿？',
    content: `「${claim.title}」填写的内容和拍的照片都不再保留，删除后不能恢复。`,
    confirmText: '删除',
    cancelText: '保留',
    confirmColor: '#c9302c',
  });
  if (!confirm) return 'kept';
  try {
    await claimsApi.deleteDraft(claim.id);
  } catch (error) {
    return error instanceof CloudError ? error : new CloudError({ code: 'UNKNOWN', message: '删除失败，请稍后重试' });
  }
  if (getDraft()?.serverId === claim.id) finishDraft();
  return 'deleted';
}
