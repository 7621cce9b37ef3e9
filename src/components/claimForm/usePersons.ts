/** The account's family members (家庭成员), loaded when the page shows; empty when offline (the form still works). */
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { claimsApi, type PersonView } from '../../services/claims';

export function usePersons(): PersonView[] {
  const [persons, setPersons] = useState<PersonView[]>([]);
  useDidShow(() => {
    claimsApi
      .listPersons()
      .then((page) => setPersons(page.items))
      .catch(() => undefined);
  });
  return persons;
}
