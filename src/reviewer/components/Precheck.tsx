/**
 * 预审 of one claim in sentences: what passed, and what needs a look (each with its reason), as the
 * server judged it at submission (labels and reasons come from src/core/precheck.ts).
 */
import { View } from '@tarojs/components';
import type { PrecheckResult } from '../../core/precheck';
import './precheck.scss';

export function Precheck({ result, id }: { result: PrecheckResult | null; id: string }): React.ReactNode {
  if (!result) {
    return (
      <View id={id} className='precheck muted'>
        这份申请提交时还没有预审，请逐项人工核对。
      </View>
    );
  }
  const passed = result.outcomes.filter((outcome) => outcome.passed);
  const open = result.outcomes.filter((outcome) => !outcome.passed);
  return (
    <View id={id} className={`precheck ${result.clean ? 'precheck-clean' : 'precheck-open'}`}>
      {result.clean ? (
        <View className='precheck-summary'>{`预审 ${passed.length} 项全部通过，可快速办理。`}</View>
      ) : (
        <View className='precheck-summary'>{`预审有 ${open.length} 项需要查看：`}</View>
      )}
      {open.map((outcome) => (
        <View key={outcome.id} id={`${id}-open-${outcome.id}`} className='precheck-open-line'>
          {/* Under 预审有 n 项需要查看 the words 需要查看 again on each line only made a desk's queue rows taller. */}
          {`「${outcome.label}」：${outcome.detail ?? '未通过'}。`}
        </View>
      ))}
      {passed.length > 0 ? (
        <View className='precheck-passed'>{`已通过：${passed.map((outcome) => outcome.label).join('、')}。`}</View>
      ) : null}
    </View>
  );
}
