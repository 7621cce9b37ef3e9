/**
 * 统计看板 for reviewers and managers: claims by status, received and paid per week, fund paid per
 * month, median working days from submission to payment against the policy's limit, the share
 * finished within it, overdue claims and the share of clean claims — drawn as bar charts of plain
 * Views (the same in the mini-program and H5), and the same figures as a CSV download.
 */
import { Button, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useState } from 'react';
import { PageShell } from '../../../components/PageShell';
import type { DashboardFigures } from '../../../core/dashboard';
import { formatRatio, formatYuan } from '../../../core/money';
import type { CloudError } from '../../../services/cloud';
import { saveFile } from '../../../services/download';
import { reviewApi } from '../../../services/review';
import { Bars } from '../../components/Bars';
import { Failure, failureOf } from '../../components/Failure';
import { GoHome, StaffNav } from '../../components/StaffNav';
import './index.scss';

const share = (bp: number | null): string => (bp === null ? '暂无' : formatRatio(bp));

function Figure({
  id,
  label,
  value,
  note,
}: {
  id: string;
  label: string;
  value: string;
  note?: string;
}): React.ReactNode {
  return (
    <View id={id} className='dash-figure'>
      <View className='dash-figure-label'>{label}</View>
      <View className='dash-figure-value'>{value}</View>
      {note ? <View className='dash-figure-note'>{note}</View> : null}
    </View>
  );
}

function Body({ figures }: { figures: DashboardFigures }): React.ReactNode {
  const { processing } = figures;
  const median = processing.medianWorkingDays === null ? '暂无' : `${processing.medianWorkingDays} 个工作日`;
  return (
    <View>
      <View className='card dash-figures'>
        <Figure
          id='dash-median'
          label='受理到办结（中位数）'
          value={median}
          note={
            processing.limitWorkingDays === null ? '暂无办结的申请' : `政策时限 ${processing.limitWorkingDays} 个工作日`
          }
        />
        <Figure
          id='dash-within'
          label='时限内办结'
          value={share(processing.withinLimitBp)}
          note={`已办结 ${processing.paidCount} 件（含 0 元办结）`}
        />
        <Figure id='dash-overdue' label='已超期未办结' value={`${figures.overdue} 件`} />
        <Figure id='dash-clean' label='预审全部通过' value={share(figures.cleanBp)} note='可快速办理的占比' />
      </View>
      <View className='card'>
        <View className='section-title'>时限内办结与预审通过</View>
        <Bars
          id='chart-shares'
          max={10_000}
          series={[{ key: 'share', label: '占比', tone: 'green' }]}
          rows={[
            {
              key: 'within',
              label: '时限内办结',
              values: [processing.withinLimitBp ?? 0],
              texts: [share(processing.withinLimitBp)],
            },
            { key: 'clean', label: '预审全部通过', values: [figures.cleanBp ?? 0], texts: [share(figures.cleanBp)] },
          ]}
        />
      </View>
      <View className='card'>
        <View className='section-title'>各状态件数</View>
        <Bars
          id='chart-status'
          series={[{ key: 'count', label: '件数', tone: 'green' }]}
          rows={figures.byStatus.map((row) => ({
            key: row.status,
            label: row.label,
            values: [row.count],
            texts: [`${row.count} 件`],
          }))}
        />
      </View>
      <View className='card'>
        <View className='section-title'>每周受理与办结（近 12 周）</View>
        <Bars
          id='chart-weekly'
          series={[
            { key: 'received', label: '受理', tone: 'blue' },
            { key: 'paid', label: '办结', tone: 'green' },
          ]}
          rows={figures.weekly.map((row) => ({
            key: row.week,
            label: row.week.replace('-W', ' 第') + '周',
            values: [row.received, row.paid],
            texts: [`${row.received} 件`, `${row.paid} 件`],
          }))}
        />
      </View>
      <View className='card'>
        <View className='section-title'>每月基金支付（近 12 个月）</View>
        <Bars
          id='chart-monthly'
          series={[{ key: 'paid', label: '基金支付', tone: 'amber' }]}
          rows={figures.monthly.map((row) => ({
            key: row.month,
            label: row.month,
            values: [row.paidFen],
            texts: [`${formatYuan(row.paidFen)}（${row.paidCount} 件）`],
          }))}
        />
      </View>
    </View>
  );
}

export default function DashboardPage(): React.ReactNode {
  const [figures, setFigures] = useState<DashboardFigures | null>(null);
  const [failure, setFailure] = useState<CloudError | null>(null);
  const [downloading, setDownloading] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  async function load(): Promise<void> {
    try {
      setFigures(await reviewApi.dashboard());
      setFailure(null);
    } catch (error) {
      setFailure(failureOf(error));
    }
  }

  async function downloadCsv(): Promise<void> {
    setDownloading(true);
    setNotice(null);
    try {
      const file = await reviewApi.dashboardCsv();
      await saveFile(file);
      setNotice(`已下载 ${file.fileName}`);
    } catch (error) {
      setFailure(failureOf(error));
    } finally {
      setDownloading(false);
    }
  }

  useDidShow(() => void load());
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()));

  return (
    <PageShell className='dashboard-page'>
      <StaffNav current='dashboard' />
      {failure ? <Failure error={failure} /> : null}
      {figures ? (
        <View className='dash-as-of'>{`统计截至 ${figures.asOf}`}</View>
      ) : failure ? null : (
        <View className='dash-as-of'>加载中…</View>
      )}
      {figures ? <Body figures={figures} /> : null}
      {notice ? <View className='notice notice-ok dash-as-of'>{notice}</View> : null}
      <Button
        id='dashboard-csv'
        className='secondary-button'
        loading={downloading}
        disabled={!figures}
        onClick={() => void downloadCsv()}
      >
        下载统计表（CSV）
      </Button>
      <GoHome />
    </PageShell>
  );
}
