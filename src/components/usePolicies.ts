/**
 * The policies a page computes with: what the app has now (published, kept, or the bundled samples),
 * refreshed from the cloud when the page shows and the list is over a minute old.
 */
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import type { PolicyDocument } from '../core/policy';
import { currentPolicies, refreshPolicies } from '../services/policies';

export function usePolicies(): readonly PolicyDocument[] {
  const [policies, setPolicies] = useState(currentPolicies);
  useDidShow(() => {
    void refreshPolicies().then(setPolicies);
  });
  return policies;
}
