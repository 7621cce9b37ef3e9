/**
 * 政策管理 · 一个版本 (operators): the policy JSON in an editor (a draft; other versions read only),
 * every fault by path, the document's own cases run with pass or fail per case, the difference from
 * the version it replaces (parameter by parameter, sample claims before and after), and the steps
 * the server offers this operator now: 提交复核, 发布 (a second operator; asks for confirmation),
 * 退回草稿, 停用 (asks for confirmation).
 *
 * Opened with `?id=<policy@version>`, `?from=<policy@version>` (a new draft starting from that
 * version's JSON) or `?new=1`.
 */
import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { PageShell } from '../../../components/PageShell';
import { pagePathOf } from '../../../components/pagePath';
import {
  POLICY_TEXT_MAX,
  type PolicyAction,
  type PolicyCasesRun,
  type PolicyDiffView,
  type PolicyVersionDetail,
  type SampleComparison,
  type SampleFigures,
} from '../../../core/contracts/policies';
import type { FieldIssue } from '../../../core/errors';
import { formatYuan } from '../../../core/money';
import type { CloudError } from '../../../services/cloud';
import { policiesApi } from '../../../services/policies';
import { failureOf } from '../../components/Failure';
import { PolicyStatusTag, validityText } from '../../components/PolicyStatus';

const actionLabels: Record<Exclude<PolicyAction, 'edit'>, string> = {
  submitForReview: '提交复核',
  approve: '复核通过并发布',
  returnToDraft: '退回草稿',
  retire: '确认停用',
  requestRetire: '申请停用',
  cancelRetire: '撤销停用申请',
};
const doneText: Record<Exclude<PolicyAction, 'edit'>, string> = {
  submitForReview: '已提交复核，请另一位运维人员复核发布。',
  approve: '已发布。新提交的申请从现在起按这个版本计算。',
  returnToDraft: '已退回草稿，可以继续修改。',
  retire: '已停用。',
  requestRetire: '已申请停用：另一位运维人员确认后才停用，在此之前这个版本仍然有效。',
  cancelRetire: '已撤销停用申请，这个版本仍然有效。',
};
/** Steps that cannot be undone ask first. */
type Confirming = 'approve' | 'retire';

const kindLabels = { changed: '修改', added: '新增', removed: '删除' } as const;

function figures(value: SampleFigures | { error: string }): string {
  return 'error' in value
    ? value.error
    : `报销 ${formatYuan(value.totalPaid)}（统筹 ${formatYuan(value.fundPays)}，起付线 ${formatYuan(value.deductibleTaken)}，个人负担 ${formatYuan(value.claimantPays)}）`;
}

function change(sample: SampleComparison): string {
  if ('error' in sample.before || 'error' in sample.after) return '';
  const delta = sample.after.totalPaid - sample.before.totalPaid;
  if (delta === 0) return '报销金额不变';
  return `报销${delta > 0 ? '增加' : '减少'} ${formatYuan(Math.abs(delta))}`;
}

function confirmText(detail: PolicyVersionDetail, what: Confirming): string {
  const after = '已经提交的申请仍按它们当时所用的版本计算';
  if (what === 'approve') {
    // By dates: the version replaced keeps the days before this one starts (an operator walk: the confirm said it was
    // 停用 while the page above said it kept them).
    const replaced = !detail.supersedes
      ? ''
      : detail.replacedKeepsUntil
        ? `；${detail.replacedKeepsUntil} 及以前的就诊仍按它取代的「${detail.supersedes}」计算`
        : `；它取代的「${detail.supersedes}」不再用于新的申请`;
    return `发布后，${detail.effectiveFrom ?? ''} 起的就诊按「${detail.id}」计算${replaced}；${after}。发布后这个版本不能再修改。确定发布吗？`;
  }
  if (detail.status === 'published')
    return `停用后，${detail.effectiveFrom ?? ''} 起的${detail.regionName}就诊，如果没有其他已发布的版本适用，将没有可用的政策：参保人无法预估和提交，直到发布新的版本（它取代的旧版本不会恢复）；${after}。停用不能撤销。确定停用吗？`;
  return '放弃这个版本后，它不能再修改或提交。确定放弃吗？';
}

/** Where a refused step's sentence is shown. */
type FailurePlace = 'page' | 'save' | 'cases' | 'diff' | 'actions';

const LIST_URL = '/reviewer/pages/policies/index';

function savedNotice(faults: number): string {
  return faults > 0
    ? `草稿已保存，但还有 ${faults} 处需要修改，见下方“需要修改的地方”。`
    : '草稿已保存，没有发现格式错误。';
}

/** Back to the list it was opened from (read again as it shows), not a second list on top (an operator walk). */
function backToList(): void {
  if (pagePathOf(Taro.getCurrentPages().at(-2)) === LIST_URL) void Taro.navigateBack();
  else void Taro.redirectTo({ url: LIST_URL });
}

export default function PolicyVersionPage(): React.ReactNode {
  const [detail, setDetail] = useState<PolicyVersionDetail | null>(null);
  const [text, setText] = useState('');
  const [savedText, setSavedText] = useState('');
  const [starting, setStarting] = useState('');
  const [failure, setFailure] = useState<CloudError | null>(null);
  // Where the refusal is shown: beside the button that was pressed (an operator walk: 提交复核's refusal went to the
  // page's top, off-screen), or at the top when the page could not load.
  const [failedAt, setFailedAt] = useState<FailurePlace>('page');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [cases, setCases] = useState<PolicyCasesRun | null>(null);
  const [diff, setDiff] = useState<PolicyDiffView | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [sourceOpen, setSourceOpen] = useState(false);

  function show(next: PolicyVersionDetail): void {
    setDetail(next);
    setSavedText(next.text);
  }

  useLoad((params: Record<string, string | undefined>) => {
    const id = params.id ? decodeURIComponent(params.id) : '';
    const from = params.from ? decodeURIComponent(params.from) : '';
    if (!id && !from) return;
    policiesApi
      .get(id || from)
      .then((loaded) => {
        setText(loaded.text);
        if (id) show(loaded);
        else setStarting(`以「${loaded.id}」为底稿：请把 version 改成新的版本号，修改参数和案例后保存为草稿。`);
        if (id && params.saved === '1') setNotice(savedNotice(loaded.faults.length));
      })
      .catch((error: unknown) => setFailure(failureOf(error)));
  });

  /** Runs one server call; on a refusal shows the sentence (and the faults it names) beside `place`, the page as it was. */
  async function run(place: FailurePlace, perform: () => Promise<void>): Promise<void> {
    setBusy(true);
    setFailure(null);
    setFailedAt(place);
    setNotice('');
    try {
      await perform();
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setBusy(false);
    }
  }

  function save(): void {
    void run('save', async () => {
      const editing = detail?.status === 'draft' ? { id: detail.id, expectedRevision: detail.revision } : {};
      const saved = await policiesApi.saveDraft({ text, ...editing });
      if (!detail || detail.id !== saved.id) {
        // A new version (or a copy of one): this page's address named the source, and a reload showed it instead of
        // the draft just saved (an operator walk). The draft's own address takes this page's place.
        setSavedText(text);
        await Taro.redirectTo({ url: `/reviewer/pages/policy/index?id=${encodeURIComponent(saved.id)}&saved=1` });
        return;
      }
      show(saved);
      setSavedText(text);
      setStarting('');
      setCases(null);
      setDiff(null);
      setNotice(savedNotice(saved.faults.length));
    });
  }

  function runCases(): void {
    if (!detail) return;
    void run('cases', async () => setCases(await policiesApi.runCases(detail.id)));
  }

  function showDiff(): void {
    if (!detail) return;
    void run('diff', async () => setDiff(await policiesApi.diff(detail.id)));
  }

  /** A step's button: publishing and retiring only open their confirmation; the rest go at once. */
  function ask(action: Exclude<PolicyAction, 'edit'>): void {
    if (action === 'approve' || action === 'retire') setConfirming(action);
    else step(action);
  }

  function step(action: Exclude<PolicyAction, 'edit'>): void {
    if (!detail) return;
    setConfirming(null);
    const seen = { id: detail.id, expectedRevision: detail.revision };
    void run('actions', async () => {
      show(await policiesApi[action](seen));
      setNotice(doneText[action]);
    }).then(async () => {
      // Someone may have got there first: show the version as it is now.
      if (detail) await policiesApi.get(detail.id).then(show, () => undefined);
    });
  }

  const editable = detail === null || detail.actions.includes('edit');
  const issues: FieldIssue[] = failure?.issues ?? detail?.faults ?? [];
  const dirty = editable && text !== savedText;
  /** Where 返回政策列表 or 回到首页 would go while the text has unsaved edits: asked first (an operator walk lost them). */
  const [leaving, setLeaving] = useState<null | (() => void)>(null);
  const leave = (go: () => void): void => (dirty ? setLeaving(() => go) : go());
  // A reload or a closed tab asks too (H5; the mini-program has no such event).
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || !dirty) return undefined;
    const warn = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const steps = (detail?.actions ?? []).filter((action): action is Exclude<PolicyAction, 'edit'> => action !== 'edit');

  return (
    <PageShell className='policy-page'>
      <View className='card'>
        {detail ? (
          <>
            <Text className='section-title'>{detail.title}</Text>
            <View className='status-line'>
              <Text>{`版本 ${detail.version}`}</Text>
              <PolicyStatusTag id='policy-status' status={detail.status} coversUntil={detail.coversUntil} />
            </View>
            <View className='muted'>{`编号 ${detail.id} · 有效期 ${validityText(detail)}`}</View>
            <View className='muted'>
              {`作者 ${detail.author.name}`}
              {detail.submittedBy ? ` · 提交人 ${detail.submittedBy.name}` : ''}
              {detail.approvedBy ? ` · 发布人 ${detail.approvedBy.name}` : ''}
              {detail.supersedes ? ` · 取代 ${detail.supersedes}` : ''}
              {detail.supersededBy ? ` · 已被 ${detail.supersededBy} 取代` : ''}
            </View>
            {detail.notes.map((note) => (
              <View key={note} className='muted policy-note'>
                {note}
              </View>
            ))}
          </>
        ) : (
          <>
            <Text className='section-title'>新的政策版本</Text>
            <View className='muted'>
              {starting ||
                '把政策文件（JSON）粘贴或写在下面，格式见《报销政策文件格式》。保存后成为草稿，可以反复修改。'}
            </View>
          </>
        )}
      </View>

      {notice ? (
        <View id='action-result' className='banner-ok' role='status'>
          {notice}
        </View>
      ) : null}
      {failure && failedAt === 'page' ? (
        <View id='failure-page'>
          <ErrorBanner message={failure.message} code={failure.code} />
        </View>
      ) : null}

      {issues.length > 0 ? (
        <View className='card' id='policy-faults' role='alert'>
          <Text className='section-title'>{`需要修改的地方（${issues.length} 处）`}</Text>
          {issues.map((issue, index) => (
            <View key={`${issue.path}-${index}`} className='fault' id={`fault-${index}`}>
              <Text className='fault-path'>{issue.path || '（整个文件）'}</Text>
              <Text className='fault-message'>{issue.message}</Text>
            </View>
          ))}
        </View>
      ) : null}

      <View className='card'>
        <Text className='section-title' id='policy-json-label'>
          政策文件（JSON）
        </Text>
        {editable ? (
          <>
            <Textarea
              id='policy-json'
              className='policy-json'
              aria-labelledby='policy-json-label'
              maxlength={POLICY_TEXT_MAX}
              value={text}
              placeholder='{ "id": "…", "version": "…", … }'
              onInput={(event) => setText(event.detail.value)}
            />
            {dirty ? <View className='muted'>有未保存的修改：试算和差异按已保存的内容计算。</View> : null}
            {failure && failedAt === 'save' ? (
              <View id='failure-save'>
                <ErrorBanner message={failure.message} code={failure.code} />
              </View>
            ) : null}
            <Button
              id='save-draft'
              className='primary-button'
              loading={busy}
              disabled={busy || text.trim() === ''}
              onClick={save}
            >
              保存草稿
            </Button>
          </>
        ) : (
          <>
            <Button id='toggle-source' className='secondary-button' onClick={() => setSourceOpen(!sourceOpen)}>
              {sourceOpen ? '收起政策文件' : '查看政策文件'}
            </Button>
            {sourceOpen ? <Text className='policy-json-readonly'>{detail?.text}</Text> : null}
          </>
        )}
      </View>

      {detail ? (
        <View className='card' id='policy-cases'>
          <Text className='section-title'>试算案例</Text>
          <View className='muted'>
            政策文件里的 cases：每个案例写明一笔费用和政策应算出的金额。提交复核前必须全部通过。
          </View>
          {failure && failedAt === 'cases' ? (
            <View id='failure-cases'>
              <ErrorBanner message={failure.message} code={failure.code} />
            </View>
          ) : null}
          <Button id='run-cases' className='secondary-button' disabled={busy} onClick={runCases}>
            试算案例
          </Button>
          {cases ? (
            <>
              <View id='cases-summary' className={cases.failed === 0 ? 'case-passed' : 'case-failed'}>
                {cases.outcomes.length === 0
                  ? '这个版本没有案例。'
                  : cases.failed === 0
                    ? `${cases.passed} 个案例全部通过。`
                    : `${cases.failed} 个案例没有通过，${cases.passed} 个通过。`}
              </View>
              {cases.outcomes.map((outcome) => (
                <View key={outcome.index} id={`case-${outcome.index}`} className='case-row'>
                  <Text
                    className={outcome.passed ? 'case-passed' : 'case-failed'}
                  >{`${outcome.passed ? '✓ 通过' : '✗ 未通过'}：${outcome.name}`}</Text>
                  {outcome.figures.map((figure) => (
                    <View
                      key={figure.key}
                    >{`${figure.label}：应为 ${formatYuan(figure.expected)}，算得 ${figure.actual === null ? '—' : formatYuan(figure.actual)}`}</View>
                  ))}
                  {outcome.failures.map((line) => (
                    <View key={line} className='fault-message'>
                      {line}
                    </View>
                  ))}
                  {outcome.issues.map((issue) => (
                    <View key={issue.path} className='fault-message'>{`${issue.path}：${issue.message}`}</View>
                  ))}
                </View>
              ))}
            </>
          ) : null}
        </View>
      ) : null}

      {detail ? (
        <View className='card' id='policy-diff'>
          <Text className='section-title'>与被取代版本的差异</Text>
          {failure && failedAt === 'diff' ? (
            <View id='failure-diff'>
              <ErrorBanner message={failure.message} code={failure.code} />
            </View>
          ) : null}
          <Button id='show-diff' className='secondary-button' disabled={busy} onClick={showDiff}>
            查看差异
          </Button>
          {diff ? (
            <>
              <View id='diff-against' className='muted'>
                {diff.against
                  ? `对比的是「${diff.against.id}」（${diff.against.version}）。`
                  : '这是一个新政策，没有被取代的版本。'}
              </View>
              {diff.parameters.length === 0 ? <View className='muted'>参数没有变化。</View> : null}
              {diff.parameters.map((parameter, index) => (
                <View key={parameter.path} id={`diff-param-${index}`} className='diff-row'>
                  <Text className='diff-path'>{`${kindLabels[parameter.kind]}：${parameter.path}`}</Text>
                  <View>{`${parameter.before ?? '（无）'} → ${parameter.after ?? '（无）'}`}</View>
                </View>
              ))}
              <Text className='section-title'>样例申请：之前与之后</Text>
              {diff.samples.map((sample, index) => (
                <View key={sample.label} id={`diff-sample-${index}`} className='diff-row'>
                  <Text>{`${sample.label}（${sample.dateOfService}）`}</Text>
                  <View>{`之前：${figures(sample.before)}`}</View>
                  <View>{`之后：${figures(sample.after)}`}</View>
                  {change(sample) ? <View className='case-passed'>{change(sample)}</View> : null}
                </View>
              ))}
            </>
          ) : null}
        </View>
      ) : null}

      {detail && steps.length > 0 ? (
        <View className='card' id='policy-actions'>
          <Text className='section-title'>下一步</Text>
          {failure && failedAt === 'actions' ? (
            <View id='failure-actions'>
              <ErrorBanner message={failure.message} code={failure.code} />
            </View>
          ) : null}
          {steps.map((action) => (
            <Button
              key={action}
              id={`action-${action}`}
              className={
                action === 'retire' || action === 'returnToDraft' || action === 'requestRetire'
                  ? 'secondary-button'
                  : 'primary-button'
              }
              loading={busy && confirming === null}
              disabled={busy}
              onClick={() => ask(action)}
            >
              <Text>
                {action === 'retire' && detail.status !== 'published' ? '放弃这个版本' : actionLabels[action]}
              </Text>
            </Button>
          ))}
          {confirming ? (
            <View className='confirm-panel' id='confirm-panel' role='alertdialog'>
              <View>{confirmText(detail, confirming)}</View>
              <Button
                id={`confirm-${confirming}`}
                className='primary-button'
                disabled={busy}
                onClick={() => step(confirming)}
              >
                {confirming === 'approve' ? '确认发布' : detail.status === 'published' ? '确认停用' : '确认放弃'}
              </Button>
              <Button id='cancel-confirm' className='secondary-button' onClick={() => setConfirming(null)}>
                取消
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}

      {leaving ? (
        <View className='confirm-panel' id='leave-panel' role='alertdialog'>
          <View>有未保存的修改，离开后这些修改就没有了。要保存的话，请先留下，点「保存草稿」。</View>
          <Button
            id='leave-confirm'
            className='secondary-button'
            onClick={() => {
              const go = leaving;
              setLeaving(null);
              go();
            }}
          >
            离开，不保存修改
          </Button>
          <Button id='leave-cancel' className='primary-button' onClick={() => setLeaving(null)}>
            留下，继续编辑
          </Button>
        </View>
      ) : null}
      <Button id='back-list' className='secondary-button' onClick={() => leave(backToList)}>
        返回政策列表
      </Button>
      <Button
        id='go-home'
        className='secondary-button'
        onClick={() => leave(() => void Taro.switchTab({ url: '/pages/index/index' }))}
      >
        回到首页
      </Button>
    </PageShell>
  );
}
