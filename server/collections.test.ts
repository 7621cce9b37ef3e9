/**
 * The `strings` a collection declares are promises PostgreSQL relies on (it compares those fields without their JSON
 * type, and a CHECK constraint refuses anything else): the list is checked against the document's type.
 */
import { collections, collectionSpec, stringFields } from './collections';
import type { ClaimDoc } from './repositories/claims';

it('declares as strings only fields the document types as strings', () => {
  // @ts-expect-error `version` is a number: declaring it would let PostgreSQL compare it as text.
  stringFields<ClaimDoc>()('version');
  // @ts-expect-error `precheckClean` is a boolean.
  stringFields<ClaimDoc>()('precheckClean');
  expect(stringFields<ClaimDoc>()('status', 'dueDate')).toEqual(['status', 'dueDate']);
});

it('declares the fields the queue, the reminders and the claimant lists compare by range or by a digit string', () => {
  expect(collectionSpec('claims').strings).toEqual(
    expect.arrayContaining(['status', 'dueDate', 'region', 'updatedAt', 'submittedAt', 'filingDeadline', 'mailCode']),
  );
  for (const spec of collections) expect(new Set(spec.strings ?? []).size).toBe((spec.strings ?? []).length);
});
