/**
 * The `strings` and `booleans` a collection declares are promises PostgreSQL relies on (it compares those fields without their JSON
 * type, and a CHECK constraint refuses anything else): the list is checked against the document's type.
 */
import { booleanFields, collections, collectionSpec, stringFields } from './collections';
import type { ClaimDoc } from './repositories/claims';

it('declares as strings and booleans only fields the document types so', () => {
  // @ts-expect-error `version` is a number: declaring it would let PostgreSQL compare it as text.
  stringFields<ClaimDoc>()('version');
  // @ts-expect-error `precheckClean` is a boolean.
  stringFields<ClaimDoc>()('precheckClean');
  expect(stringFields<ClaimDoc>()('status', 'dueDate')).toEqual(['status', 'dueDate']);
  // @ts-expect-error `status` is a string, not a boolean.
  booleanFields<ClaimDoc>()('status');
  expect(booleanFields<ClaimDoc>()('precheckClean')).toEqual(['precheckClean']);
});

it('declares the fields the queue, the reminders and the claimant lists compare by range or by a digit string', () => {
  expect(collectionSpec('claims').strings).toEqual(
    expect.arrayContaining(['status', 'dueDate', 'region', 'updatedAt', 'submittedAt', 'filingDeadline', 'mailCode']),
  );
  for (const spec of collections) expect(new Set(spec.strings ?? []).size).toBe((spec.strings ?? []).length);
});
