import { ExportOutlined } from '@ant-design/icons';
import type { LedgerInfo } from '@tierline/contract';
import { Card, Col, Descriptions, Empty, Row, Skeleton, Space, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { QueryError } from '../layout/page';
import { Copyable, MachineText, TextBlock } from './ledger-ui';

/** The log: name, verifier key, size, latest checkpoint and its public files. */
export function LogCard({
  info,
  error,
  onRetry,
}: {
  info: LedgerInfo | undefined;
  error: Error | null;
  onRetry: () => void;
}) {
  const { t } = useI18n();
  const format = useFormat();
  if (error !== null) return <QueryError error={error} onRetry={onRetry} />;
  if (info === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 5 }} />
      </Card>
    );
  }
  const tilesUrl = new URL(info.tiles, window.location.origin).toString();
  const items: DescriptionsProps['items'] = [
    {
      key: 'origin',
      label: t('ledger.origin'),
      children: <MachineText testId="ledger-origin">{info.origin}</MachineText>,
    },
    {
      key: 'size',
      label: t('ledger.size'),
      children: (
        <span className="tl-num" data-testid="ledger-size">
          {format.number(info.size)}
        </span>
      ),
    },
    {
      key: 'checkpointSize',
      label: t('ledger.checkpointSize'),
      children: (
        <span className="tl-num" data-testid="ledger-checkpoint-size">
          {format.number(info.checkpointSize)}
        </span>
      ),
    },
    {
      key: 'vkey',
      label: t('ledger.verifierKey'),
      span: 'filled',
      children: (
        <div>
          <Copyable text={info.verifierKey} testId="ledger-vkey" />
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', fontSize: 12 }}>
            {t('ledger.verifierKey.hint')}
          </Typography.Paragraph>
        </div>
      ),
    },
    {
      key: 'tiles',
      label: t('ledger.tiles'),
      span: 'filled',
      children: (
        <Space size={12} wrap>
          <MachineText testId="ledger-tiles">{tilesUrl}</MachineText>
          <a href={`${info.tiles}checkpoint`} target="_blank" rel="noreferrer">
            checkpoint <ExportOutlined />
          </a>
          <a href={`${info.tiles}vkey`} target="_blank" rel="noreferrer">
            vkey <ExportOutlined />
          </a>
        </Space>
      ),
    },
  ];
  return (
    <Card variant="borderless" title={t('ledger.log')} data-testid="ledger-log">
      <Row gutter={24}>
        <Col xs={24} xl={14}>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 3 }}
            items={items}
            styles={{ label: { whiteSpace: 'nowrap' } }}
          />
        </Col>
        <Col xs={24} xl={10}>
          <Typography.Text strong>{t('ledger.checkpoint')}</Typography.Text>
          {info.checkpoint === null ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.noCheckpoint')} />
          ) : (
            <TextBlock text={info.checkpoint} testId="ledger-checkpoint" />
          )}
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', fontSize: 12 }}>
            {t('ledger.checkpoint.hint')}
          </Typography.Paragraph>
        </Col>
      </Row>
    </Card>
  );
}
