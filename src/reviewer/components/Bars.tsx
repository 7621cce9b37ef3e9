/**
 * A horizontal bar chart drawn with plain Views (bar widths from the figures), the same in the
 * mini-program and H5: no canvas, no chart library in the package. Each row is labelled with its
 * figure as text, so the chart reads without colour or width.
 */
import { View } from '@tarojs/components';
import './bars.scss';

export interface BarSeries {
  key: string;
  label: string;
  /** One of the series colours (bars.scss): green, blue, amber. */
  tone: 'green' | 'blue' | 'amber';
}

export interface BarRow {
  key: string;
  label: string;
  /** One value per series, in the series' order. */
  values: readonly number[];
  /** The figures as text, one per series (e.g. ¥1,234.00). */
  texts: readonly string[];
}

/** `max` fixes the full scale (e.g. 10000 for a share in basis points); otherwise the largest value. */
export function Bars({
  id,
  series,
  rows,
  max: scale,
}: {
  id: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
  max?: number;
}): React.ReactNode {
  const max = scale ?? Math.max(1, ...rows.flatMap((row) => row.values));
  return (
    <View id={id} className='bars' role='table'>
      {series.length > 1 ? (
        <View className='bars-legend'>
          {series.map((entry) => (
            <View key={entry.key} className='bars-legend-item'>
              <View className={`bars-swatch bars-${entry.tone}`} />
              {entry.label}
            </View>
          ))}
        </View>
      ) : null}
      {rows.map((row) => (
        <View key={row.key} id={`${id}-${row.key}`} className='bars-row' role='row'>
          <View className='bars-label' role='rowheader'>
            {row.label}
          </View>
          <View className='bars-cells'>
            {series.map((entry, index) => (
              <View key={entry.key} className='bars-cell' role='cell'>
                <View
                  className={`bars-bar bars-${entry.tone}`}
                  style={{ width: `${((row.values[index] ?? 0) / max) * 70}%` }}
                />
                <View className='bars-value'>{row.texts[index] ?? ''}</View>
              </View>
            ))}
          </View>
        </View>
      ))}
    </View>
  );
}
