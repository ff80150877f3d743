import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { RebateProgram, TierDefinition } from '@tierline/contract';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n/locale';
import { PageHeading, QueryError } from '../layout/page';
import { TierTag } from '../tiering/tier-tags';
import { useCan, useTierOverview } from '../tiering/tier-api';
import { useRebatePrograms } from './rebate-api';
import { RebateEditor } from './rebate-editor';
import { RebateHistoryCard } from './rebate-history';
import { RebatePreviewCard } from './rebate-preview';
import { ProgramTerms } from './rebate-ui';

/**
 * Ladder rebates (阶梯返利, issue 6): the programs, an editor (admins), the preview of a
 * program's period before settlement with interim and final settlement (admins), and the
 * settlement history. What each caller sees of dealers is the server's scope.
 */
export default function RebatesPage() {
  const { t } = useI18n();
  const can = useCan();
  const programs = useRebatePrograms();
  const tiers: readonly TierDefinition[] =
    useTierOverview(can('assessments:read')).data?.tiers ?? [];
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<RebateProgram | 'new' | null>(null);
  const items = programs.data?.items ?? [];
  const program = items.find((p) => p.code === selected) ?? items.find((p) => p.active) ?? items[0];
  const manage = can('resources:manage');

  const columns: TableColumnsType<RebateProgram> = [
    {
      title: t('rebates.col.code'),
      dataIndex: 'code',
      key: 'code',
      render: (code: string) => (
        <Typography.Text strong className="tl-code">
          {code}
        </Typography.Text>
      ),
    },
    { title: t('rebates.col.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('rebates.col.terms'),
      key: 'terms',
      render: (_: unknown, p) => <ProgramTerms program={p} />,
    },
    {
      title: t('rebates.col.ladders'),
      key: 'ladders',
      render: (_: unknown, p) => (
        <Space size={[2, 4]} wrap>
          {Object.keys(p.ladders.tiers).map((code) => (
            <TierTag key={code} tiers={tiers} code={code} />
          ))}
          {p.ladders.default === null ? null : <Tag>{t('rebates.ladder.default')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('rebates.col.status'),
      key: 'status',
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          <Tag color={p.active ? 'green' : 'default'}>
            {t(p.active ? 'rebates.active' : 'rebates.inactive')}
          </Tag>
          {p.closedPeriods.slice(0, 2).map((period) => (
            <Tag key={period}>{t('rebates.closedPeriod', { period })}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rebates.col.settlements'),
      dataIndex: 'settlements',
      key: 'settlements',
      align: 'right',
      render: (n: number) => <span className="tl-num">{n}</span>,
    },
    ...(manage
      ? [
          {
            title: '',
            key: 'actions',
            width: 90,
            render: (_: unknown, p: RebateProgram) => (
              <Button
                type="link"
                icon={<EditOutlined />}
                data-testid="rebate-edit"
                onClick={(event) => {
                  event.stopPropagation();
                  setEditing(p);
                }}
              >
                {t('rebates.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div data-testid="rebates-page">
      <PageHeading
        title={t('rebates.title')}
        subtitle={t('rebates.subtitle')}
        extra={
          manage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing('new')}
              data-testid="rebate-new"
            >
              {t('rebates.new')}
            </Button>
          ) : undefined
        }
      />
      <Card variant="borderless" title={t('rebates.programs')} style={{ marginBottom: 16 }}>
        {programs.error !== null ? (
          <QueryError error={programs.error} onRetry={() => void programs.refetch()} />
        ) : (
          <Table<RebateProgram>
            data-testid="rebate-programs"
            rowKey="code"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={programs.isFetching}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            rowClassName={(p) =>
              p.code === program?.code
                ? 'ant-table-row-selected tl-clickable-row'
                : 'tl-clickable-row'
            }
            onRow={(p) => ({ onClick: () => setSelected(p.code) })}
            locale={{ emptyText: programs.isPending ? ' ' : t('rebates.empty') }}
          />
        )}
      </Card>
      {program === undefined ? null : (
        <>
          <RebatePreviewCard
            key={program.code}
            program={program}
            tiers={tiers}
            canSettle={manage}
          />
          <RebateHistoryCard program={program} />
        </>
      )}
      {editing === null ? null : (
        <RebateEditor
          program={editing === 'new' ? null : editing}
          tiers={tiers}
          open
          onClose={(saved) => {
            setEditing(null);
            if (saved !== null) setSelected(saved.code);
          }}
        />
      )}
    </div>
  );
}
