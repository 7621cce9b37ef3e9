/** 场景向导: a few plain questions lead to the scenario and the visit kind; each answer is kept in the draft. */
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { DraftSteps } from '../../../components/DraftSteps';
import { PageShell } from '../../../components/PageShell';
import { stepPages } from '../../../components/draftRoutes';
import { guideOutcomeOf } from '../../../core/claimFormDraft';
import {
  guideStep,
  guideVisitKindLabels,
  outOfRegionKindLabels,
  scenarios,
  type GuideAnswers,
  type GuideStep,
} from '../../../core/scenarios';
import { startNewDraft, updateDraft, useDraft } from '../../../services/draft';

function safeStep(answers: GuideAnswers): GuideStep {
  try {
    return guideStep(answers);
  } catch {
    return guideStep({});
  }
}

export default function GuidePage(): React.ReactNode {
  const { draft, sync } = useDraft();

  useLoad((params: Record<string, string | undefined>) => {
    if (params.fresh === '1' || !draft) startNewDraft();
  });

  if (!draft) return <PageShell>{null}</PageShell>;
  const step = safeStep(draft.guide);
  const outcome = guideOutcomeOf(draft);

  function answer(id: keyof GuideAnswers, value: string): void {
    updateDraft((current) => {
      const guide: GuideAnswers = { ...current.guide, [id]: value };
      // A new scenario may not fit the earlier visit kind or sub-answer: ask them again.
      if (id === 'scenario') {
        delete guide.visitKind;
        delete guide.outOfRegionKind;
      }
      return { ...current, guide };
    });
  }

  function back(): void {
    updateDraft((current) => {
      const guide = { ...current.guide };
      if (guide.visitKind) delete guide.visitKind;
      else if (guide.outOfRegionKind) delete guide.outOfRegionKind;
      else delete guide.scenario;
      return { ...current, guide };
    });
  }

  function next(): void {
    updateDraft((current) => ({ ...current, step: 'form' }));
    void Taro.navigateTo({ url: stepPages.form });
  }

  return (
    <PageShell>
      <DraftSteps current='guide' reached={draft.step} sync={sync} />
      {!step.done ? (
        <View className='card' id={`guide-question-${step.question.id}`}>
          <Text className='title'>{step.question.text}</Text>
          {step.question.help ? (
            <View className='muted' style={{ marginBottom: '12px' }}>
              {step.question.help}
            </View>
          ) : null}
          {step.question.options.map((option) => (
            <View
              key={option.value}
              id={`guide-${step.question.id}-${option.value}`}
              className='option-button'
              role='button'
              onClick={() => answer(step.question.id, option.value)}
            >
              <Text>{option.label}</Text>
              {option.hint ? <Text className='muted'>{option.hint}</Text> : null}
            </View>
          ))}
          {draft.guide.scenario ? (
            <Button className='secondary-button' onClick={back}>
              上一步
            </Button>
          ) : null}
        </View>
      ) : null}
      {outcome ? (
        <View className='card' id='guide-outcome'>
          <Text className='title'>{scenarios[outcome.scenario].label}</Text>
          <View className='list-row'>{`就诊类型：${guideVisitKindLabels[outcome.visitKind]}`}</View>
          {outcome.outOfRegionKind ? (
            <View className='list-row'>{`异地情况：${outOfRegionKindLabels[outcome.outOfRegionKind].label}`}</View>
          ) : null}
          {outcome.explanation.map((sentence) => (
            <View key={sentence} className='list-row muted'>
              {sentence}
            </View>
          ))}
          <Button id='guide-next' className='primary-button' onClick={next}>
            下一步：填写信息
          </Button>
          <Button id='guide-back' className='secondary-button' onClick={back}>
            重新选择
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
