import {
  CheckCircleFilled,
  CheckOutlined,
  CloseCircleFilled,
  CopyOutlined,
  MinusCircleOutlined,
} from '@ant-design/icons';
import type { LedgerRecordKind } from '@tierline/contract';
import { Flex, Form, Input, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/locale';
import { keyError } from './verifier-key';

export const ledgerKinds: readonly LedgerRecordKind[] = [
  'tier_decision',
  'tier_override',
  'assessment_run',
  'policy_version',
  'import_batch',
  'benefit_values',
  'budget_allocation',
  'allocation_line',
  'rebate_settlement',
  'fund_decision',
];

const kindColors: Readonly<Record<LedgerRecordKind, string>> = {
  tier_decision: 'blue',
  tier_override: 'orange',
  assessment_run: 'geekblue',
  policy_version: 'purple',
  import_batch: 'cyan',
  benefit_values: 'gold',
  budget_allocation: 'green',
  allocation_line: 'lime',
  rebate_settlement: 'magenta',
  fund_decision: 'volcano',
};

/** What a ledger record records, as a tag; an unknown kind (a newer server) as it is. */
export function KindTag({ kind }: { kind: string | null }) {
  const { t } = useI18n();
  if (kind === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const known = ledgerKinds.find((k) => k === kind);
  return (
    <Tag color={known === undefined ? 'default' : kindColors[known]} data-kind={kind}>
      {known === undefined ? kind : t(`ledger.kind.${known}`)}
    </Tag>
  );
}

export type CheckStatus = 'ok' | 'failed' | 'skipped';

/** One check with its outcome: a green tick, a red cross, or grey when it did not run. */
export function CheckRow({
  status,
  title,
  children,
  testId,
}: {
  status: CheckStatus;
  title: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  const icon =
    status === 'ok' ? (
      <CheckCircleFilled style={{ color: '#2fa58a' }} />
    ) : status === 'failed' ? (
      <CloseCircleFilled style={{ color: '#cf1322' }} />
    ) : (
      <MinusCircleOutlined style={{ color: '#bfbfbf' }} />
    );
  return (
    <Flex
      gap={10}
      align="flex-start"
      style={{ padding: '6px 0' }}
      data-testid={testId}
      data-status={status}
    >
      <span style={{ fontSize: 16, lineHeight: '22px' }}>{icon}</span>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Typography.Text
          type={status === 'skipped' ? 'secondary' : undefined}
          strong={status === 'failed'}
        >
          {title}
        </Typography.Text>
        {children === undefined || children === null || children === '' ? null : (
          <div style={{ marginTop: 2 }}>{children}</div>
        )}
      </div>
    </Flex>
  );
}

/** A hash, key or other long machine value: monospace, wrapped anywhere. */
export function MachineText({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <span className="tl-code" style={{ wordBreak: 'break-all', fontSize: 12 }} data-testid={testId}>
      {children}
    </span>
  );
}

/** A text block (JSON, a signed note) exactly as it is, scrollable. */
export function TextBlock({ text, testId }: { text: string; testId?: string }) {
  return (
    <pre
      className="tl-json"
      style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
      data-testid={testId}
    >
      {text}
    </pre>
  );
}

/** A value to copy with a labelled copy button, as the API token dialog has. */
export function Copyable({ text, testId }: { text: string; testId?: string }) {
  const { t } = useI18n();
  return (
    <Typography.Text
      className="tl-code"
      style={{ wordBreak: 'break-all' }}
      data-testid={testId}
      copyable={{
        text,
        tooltips: false,
        icon: [
          <span key="copy" className="tl-copy">
            <CopyOutlined /> {t('ledger.copy')}
          </span>,
          <span key="copied" className="tl-copy tl-copied">
            <CheckOutlined /> {t('ledger.copied')}
          </span>,
        ],
      }}
    >
      {text}
    </Typography.Text>
  );
}

/** A recorded or replayed value of any JSON type, readable in a table cell. */
export function JsonValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return <MachineText>{String(value)}</MachineText>;
  }
  return <MachineText>{JSON.stringify(value)}</MachineText>;
}

/** The verifier key a check is run with: editable, since an auditor pastes the one they trust. */
export function VerifierKeyField({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange: (key: string) => void;
  testId: string;
}) {
  const { t } = useI18n();
  const bad = value.trim() !== '' && keyError(value);
  return (
    <Form.Item
      label={t('verify.key')}
      extra={t('verify.key.hint')}
      validateStatus={bad ? 'error' : undefined}
      help={bad ? t('verify.key.invalid') : undefined}
    >
      <Input.TextArea
        data-testid={testId}
        className="tl-code"
        autoSize={{ minRows: 1, maxRows: 3 }}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Form.Item>
  );
}
