/**
 * 首页's claim in progress and its filing deadline. The first paint shows the draft as the device keeps it
 * (services/draftStorage: no zod, no core); once ./deferred has loaded (after that paint in H5) the draft is the live
 * one of services/draft, which also resumes its photo uploads, and the deadline is computed with the published
 * policies, refreshed each time the page shows — what useDraft and usePolicies did before the page was split.
 */
import { useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClaimDraftState } from '../../core/claimFormDraft';
import type { PolicyDocument } from '../../core/policy';
import { readStoredDraft } from '../../services/draftStorage';
import type { HomeDeadline } from './deferred';
import { deferredIfLoaded, loadDeferred } from './loadDeferred';

export function useHomeDraft(): { draft: ClaimDraftState | null; deadline: HomeDeadline } {
  const [deferred, setDeferred] = useState(deferredIfLoaded);
  const [draft, setDraft] = useState(() => (deferred ? deferred.getDraft() : readStoredDraft()));
  const [policies, setPolicies] = useState<readonly PolicyDocument[] | null>(() => deferred?.currentPolicies() ?? null);
  const mounted = useRef(true);

  // Fetches ./deferred (after the first paint in H5); a failed fetch leaves the page as it painted, tried again on show.
  const load = useCallback(() => {
    loadDeferred().then(
      (module) => {
        if (mounted.current) setDeferred(() => module);
      },
      () => undefined,
    );
  }, []);

  // The published policies, fetched again; kept only if the page is still there when they arrive.
  const refreshPolicies = useCallback((module: NonNullable<typeof deferred>) => {
    void module.refreshPolicies().then((list) => {
      if (mounted.current) setPolicies(list);
    });
  }, []);

  useEffect(() => {
    mounted.current = true;
    load();
    return () => {
      mounted.current = false;
    };
  }, [load]);

  // From then on the draft is the live one, and the deadline uses the published policies.
  useEffect(() => {
    if (!deferred) return undefined;
    setDraft(deferred.getDraft());
    setPolicies(deferred.currentPolicies());
    refreshPolicies(deferred);
    return deferred.subscribeDraft(() => setDraft(deferred.getDraft()));
  }, [deferred, refreshPolicies]);

  useDidShow(() => {
    if (!deferred) {
      setDraft(readStoredDraft());
      load();
      return;
    }
    setDraft(deferred.getDraft());
    refreshPolicies(deferred);
  });

  const deadline = deferred && draft && policies ? deferred.deadlineOf(draft, policies) : null;
  return { draft, deadline };
}
