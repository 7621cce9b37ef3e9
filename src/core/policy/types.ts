/** Types derived from the policy schema: the document as written, and the parameter set in force on one date. */
import type { ByLevel, Dated, HospitalLevel, LevelValue, PolicyDocument } from './schema';

export type { ByLevel, HospitalLevel, LevelValue, PolicyDocument };
export type { InsuranceType, VisitKind } from './schema';

/** Every `Dated<T>` replaced by the `T` in force. */
export type Resolved<T> =
  T extends Dated<infer V>
    ? Resolved<V>
    : T extends ReadonlyArray<infer E>
      ? Resolved<E>[]
      : T extends object
        ? { [K in keyof T]: Resolved<T[K]> }
        : T;

/** Where a value in force comes from: the date it took effect, its own reference, whether it is a sample value. */
export interface ParameterSource {
  since: string;
  reference?: string;
  sample?: true;
}

/**
 * The concrete parameters of one policy on one date (`asOf`), and for every parameter path
 * (`inpatient.deductible.first`, `fundCaps[0].amount` …) the source of its value in force.
 */
export type ResolvedPolicy = Resolved<PolicyDocument> & {
  asOf: string;
  sources: Readonly<Record<string, ParameterSource>>;
};

export type SegmentBand = NonNullable<ResolvedPolicy['inpatient']>['segments'] extends infer S
  ? S extends { bands: Array<infer B> }
    ? B
    : never
  : never;

export function atLevel<T>(value: LevelValue<T>, level: HospitalLevel): T {
  if (value !== null && typeof value === 'object' && 'level1' in (value as object)) {
    const table = value as ByLevel<T>;
    return level === 1 ? table.level1 : level === 2 ? table.level2 : table.level3;
  }
  return value as T;
}
