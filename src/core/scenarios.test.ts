import { DomainError } from './errors';
import { visitKinds } from './policy/schema';
import {
  guideStep,
  outOfRegionFlags,
  outOfRegionKindQuestion,
  outOfRegionKinds,
  scenarioIds,
  scenarioQuestion,
  scenarios,
  visitKindQuestion,
  type GuideStep,
} from './scenarios';

function outcomeOf(step: GuideStep) {
  if (!step.done) throw new Error(`expected an outcome, got question ${step.question.id}`);
  return step.outcome;
}

describe('scenarios', () => {
  it('has the eight scenarios, each with a Chinese label and a one-sentence explanation', () => {
    expect(Object.keys(scenarios)).toEqual([...scenarioIds]);
    expect(scenarioIds).toHaveLength(8);
    for (const id of scenarioIds) {
      const scenario = scenarios[id];
      expect(scenario.id).toBe(id);
      expect(scenario.label).toMatch(/[\u4e00-\u9fff]/);
      expect(scenario.explanation.endsWith('。')).toBe(true);
      expect(scenario.explanation.slice(0, -1)).not.toMatch(/[。！？]/);
      expect(scenario.visitKinds.length).toBeGreaterThan(0);
      for (const kind of scenario.visitKinds) expect(visitKinds).toContain(kind);
      expect(new Set(scenario.visitKinds).size).toBe(scenario.visitKinds.length);
    }
  });

  it('names what is special where DOMAIN.md says so', () => {
    expect(scenarios.systemFailure.explanation).toContain('盖章');
    expect(scenarios.emergencyWithoutCard.explanation).toContain('急诊章');
    expect(scenarios.thirdParty.explanation).toContain('事故认定书');
    expect(scenarios.outOfRegion.explanation).toContain('10-20');
    expect(scenarios.dischargeSettlement.explanation).toContain('出院');
    expect(scenarios.externalPharmacy.explanation).toContain('外购药证明');
  });

  it('offers every scenario exactly once in the first question', () => {
    expect(scenarioQuestion.options.map((option) => option.value).sort()).toEqual([...scenarioIds].sort());
    expect(outOfRegionKindQuestion.options.map((option) => option.value)).toEqual([...outOfRegionKinds]);
  });
});

describe('guideStep', () => {
  it('asks the scenario first', () => {
    expect(guideStep({})).toEqual({ done: false, question: scenarioQuestion });
  });

  it('asks about 备案 for out-of-region care, then the visit kind', () => {
    expect(guideStep({ scenario: 'outOfRegion' })).toEqual({ done: false, question: outOfRegionKindQuestion });
    const second = guideStep({ scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip' });
    expect(second).toEqual({ done: false, question: visitKindQuestion('outOfRegion') });
    const outcome = outcomeOf(
      guideStep({ scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip', visitKind: 'outpatient' }),
    );
    expect(outcome).toMatchObject({
      scenario: 'outOfRegion',
      outOfRegionKind: 'temporaryTrip',
      visitKind: 'outpatient',
    });
    expect(outcome.explanation).toHaveLength(2);
    expect(outcome.explanation[1]).toContain('10-20');
  });

  it('goes straight to the visit kind for a local scenario and ignores an unneeded 备案 answer', () => {
    expect(guideStep({ scenario: 'systemFailure' })).toEqual({
      done: false,
      question: visitKindQuestion('systemFailure'),
    });
    const outcome = outcomeOf(
      guideStep({ scenario: 'systemFailure', outOfRegionKind: 'filed', visitKind: 'inpatient' }),
    );
    expect(outcome).toEqual({
      scenario: 'systemFailure',
      visitKind: 'inpatient',
      explanation: [scenarios.systemFailure.explanation],
    });
  });

  it('offers only the visit kinds that fit the scenario', () => {
    expect(visitKindQuestion('dischargeSettlement').options.map((option) => option.value)).toEqual([
      'inpatient',
      'maternity',
    ]);
    expect(visitKindQuestion('systemFailure').options).toHaveLength(8);
    expect(() => guideStep({ scenario: 'dischargeSettlement', visitKind: 'outpatient' })).toThrow(DomainError);
  });

  it.each([
    [{ scenario: 'lostWallet' }, 'scenario'],
    [{ scenario: 'outOfRegion', outOfRegionKind: 'maybe' }, 'outOfRegionKind'],
    [{ scenario: 'cardProblem', visitKind: 'dental' }, 'visitKind'],
  ])('refuses %j with GUIDE_ANSWER_INVALID at %s', (answers, question) => {
    try {
      guideStep(answers);
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('GUIDE_ANSWER_INVALID');
      expect((error as DomainError).issues?.[0]?.path).toBe(question);
    }
  });

  it('reaches an outcome for every scenario × sub-answer × fitting visit kind, with the answers given back', () => {
    let outcomes = 0;
    for (const scenario of scenarioIds) {
      const subs = scenario === 'outOfRegion' ? outOfRegionKinds : [undefined];
      for (const sub of subs) {
        for (const visitKind of scenarios[scenario].visitKinds) {
          const outcome = outcomeOf(guideStep({ scenario, ...(sub ? { outOfRegionKind: sub } : {}), visitKind }));
          expect(outcome.scenario).toBe(scenario);
          expect(outcome.visitKind).toBe(visitKind);
          expect(outcome.outOfRegionKind).toBe(sub);
          outcomes += 1;
        }
      }
    }
    expect(outcomes).toBe(3 * 8 + 8 + 8 + 2 + 8 + 2 + 5 + 4);
  });

  it('maps the outcome onto the engine claim flags', () => {
    expect(outOfRegionFlags({ scenario: 'outOfRegion', outOfRegionKind: 'filed' })).toEqual({
      outOfRegion: true,
      filedForOutOfRegion: true,
      referral: false,
    });
    expect(outOfRegionFlags({ scenario: 'outOfRegion', outOfRegionKind: 'referral' })).toEqual({
      outOfRegion: true,
      filedForOutOfRegion: false,
      referral: true,
    });
    expect(outOfRegionFlags({ scenario: 'outOfRegion', outOfRegionKind: 'temporaryTrip' })).toEqual({
      outOfRegion: true,
      filedForOutOfRegion: false,
      referral: false,
    });
    expect(outOfRegionFlags({ scenario: 'thirdParty' })).toEqual({
      outOfRegion: false,
      filedForOutOfRegion: false,
      referral: false,
    });
  });
});

describe('the guide says each thing once', () => {
  it('no option repeats its label as its hint (a walk saw 急诊 / 急诊, 住院 / 住院)', () => {
    const questions = [
      scenarioQuestion,
      outOfRegionKindQuestion,
      ...scenarioIds.map((scenario) => visitKindQuestion(scenario)),
    ];
    for (const question of questions)
      for (const option of question.options) {
        expect(option.label.trim()).not.toBe('');
        if (option.hint !== undefined) expect(option.label.startsWith(option.hint)).toBe(false);
      }
  });
});
