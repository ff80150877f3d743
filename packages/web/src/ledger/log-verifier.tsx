import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { LedgerInfo } from '@tierline/contract';
import { verifyLog, type LogVerification } from '@tierline/core/ledger';
import { Alert, Button, Checkbox, Form, Input, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useReducer, useRef, useState } from 'react';
import { useFormat } from '../format/use-money';
import { useI18n } from '../i18n/locale';
import { CheckRow, TextBlock, VerifierKeyField } from './ledger-ui';
import { httpLogFetch, logPrefix } from './log-source';
import { logStepViews, type LogStepView } from './log-steps';
import {
  forgetCheckpoint,
  rememberCheckpoint,
  seenCheckpoint,
  type SeenCheckpoint,
} from './seen-checkpoints';
import { keyError, keyName } from './verifier-key';

interface LogRun {
  /** Counts the runs of this page, so that a reader (or a test) can tell one result from the next. */
  serial: number;
  result: LogVerification;
  previous: SeenCheckpoint | null;
  full: boolean;
}

/**
 * Verifies a whole log from its public files with `verifyLog`, passing the checkpoint this
 * browser verified last as `previous` and keeping the new one when all is well.
 */
export function LogVerifier({ info }: { info: LedgerInfo | undefined }) {
  const { t } = useI18n();
  const format = useFormat();
  const [prefixInput, setPrefixInput] = useState<string | null>(null);
  const [keyInput, setKeyInput] = useState<string | null>(null);
  const [full, setFull] = useState(true);
  const [running, setRunning] = useState(false);
  const [fetched, setFetched] = useState(0);
  const [run, setRun] = useState<LogRun | null>(null);
  const runs = useRef(0);
  const [failure, setFailure] = useState<string | null>(null);
  // What this browser remembers is read at each render; a run or "forget" renders again.
  const [, reread] = useReducer((n: number) => n + 1, 0);

  const prefixText =
    prefixInput ??
    (info === undefined ? '' : new URL(info.tiles, window.location.origin).toString());
  const key = keyInput ?? info?.verifierKey ?? '';
  const prefix = logPrefix(prefixText, window.location.href);
  const badKey = key.trim() !== '' && keyError(key);
  const origin = keyName(key);
  const seen = origin === '' || badKey ? null : seenCheckpoint(origin);

  async function verify() {
    if (prefix === null || badKey || key.trim() === '') return;
    const previous = seenCheckpoint(origin);
    const serial = ++runs.current;
    setRunning(true);
    setRun(null);
    setFailure(null);
    setFetched(0);
    try {
      const result = await verifyLog({
        fetch: httpLogFetch(prefix, () => setFetched((n) => n + 1)),
        verifierKey: key.trim(),
        previous: previous === null ? null : { size: previous.size, hash: previous.hash },
        full,
      });
      if (result.ok && result.checkpoint !== null) {
        rememberCheckpoint(result.checkpoint.origin, {
          size: result.checkpoint.size,
          hash: result.checkpoint.hash,
          verifiedAt: new Date().toISOString(),
        });
      }
      setRun({ serial, result, previous, full });
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setRunning(false);
      reread();
    }
  }

  return (
    <div data-testid="verify-log">
      <Typography.Paragraph type="secondary">{t('verify.log.text')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void verify()} style={{ maxWidth: 900 }}>
        <Form.Item
          label={t('verify.log.url')}
          extra={t('verify.log.url.hint')}
          validateStatus={prefixText !== '' && prefix === null ? 'error' : undefined}
          help={prefixText !== '' && prefix === null ? t('verify.log.url.invalid') : undefined}
        >
          <Input
            data-testid="verify-log-url"
            value={prefixText}
            onChange={(e) => setPrefixInput(e.target.value)}
            placeholder="https://tierline.example.com/ledger/demo/"
          />
        </Form.Item>
        <VerifierKeyField testId="verify-log-key" value={key} onChange={setKeyInput} />
        <Form.Item>
          <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)}>
            {t('verify.log.full')}
          </Checkbox>
        </Form.Item>
        <Space wrap align="center">
          <Button
            type="primary"
            htmlType="submit"
            icon={<SafetyCertificateOutlined />}
            loading={running}
            disabled={prefix === null || badKey || key.trim() === ''}
            data-testid="verify-log-run"
          >
            {t('verify.log.run')}
          </Button>
          {running ? (
            <Typography.Text type="secondary">
              {t('verify.log.fetched', { count: format.number(fetched) })}
            </Typography.Text>
          ) : null}
          {seen === null ? (
            <Typography.Text type="secondary" data-testid="verify-log-seen">
              {t('verify.log.seen.none')}
            </Typography.Text>
          ) : (
            <Space size={4} wrap>
              <Typography.Text type="secondary" data-testid="verify-log-seen">
                {t('verify.log.seen', {
                  size: format.number(seen.size),
                  at: dayjs(seen.verifiedAt).format('YYYY-MM-DD HH:mm'),
                })}
              </Typography.Text>
              <Button
                type="link"
                size="small"
                onClick={() => {
                  forgetCheckpoint(origin);
                  reread();
                }}
              >
                {t('verify.log.seen.forget')}
              </Button>
            </Space>
          )}
        </Space>
      </Form>
      {failure === null ? null : (
        <Alert
          style={{ marginTop: 16 }}
          type="error"
          showIcon
          data-testid="verify-log-error"
          title={t('verify.log.error')}
          description={failure}
        />
      )}
      {run === null ? null : <LogResult run={run} />}
    </div>
  );
}

function LogResult({ run }: { run: LogRun }) {
  const { t } = useI18n();
  const format = useFormat();
  const { result, previous, full } = run;
  const problem = result.problems[0];
  const { steps, extra } = logStepViews(result, { previous: previous !== null, full });

  function row(view: LogStepView) {
    const status = view.status === 'ok' ? 'ok' : view.status === 'failed' ? 'failed' : 'skipped';
    return (
      <CheckRow
        key={view.step}
        testId={`verify-log-step-${view.step}`}
        status={status}
        title={t(`verify.log.step.${view.step}`)}
      >
        {view.status === 'ok' ? (
          <Typography.Text type="secondary">{view.detail}</Typography.Text>
        ) : view.status === 'failed' ? (
          <Typography.Text type="danger">{view.detail}</Typography.Text>
        ) : view.status === 'not_asked' ? (
          <Typography.Text type="secondary">
            {t(view.step === 'consistency' ? 'verify.log.firstTime' : 'verify.log.notFull')}
          </Typography.Text>
        ) : null}
      </CheckRow>
    );
  }

  return (
    <div
      style={{ marginTop: 20 }}
      data-testid="verify-log-result"
      data-ok={result.ok}
      data-run={run.serial}
    >
      <Alert
        type={result.ok ? 'success' : 'error'}
        showIcon
        data-testid="verify-log-verdict"
        title={
          result.ok
            ? t('verify.log.ok', {
                entries: format.number(result.entries),
                files: format.number(result.tilesFetched + 1),
              })
            : t('verify.log.failed')
        }
        description={
          problem === undefined ? undefined : (
            <span data-testid="verify-log-problem" data-code={problem.code}>
              <strong>{t(`verify.problem.${problem.code}`)}</strong> {problem.message}
            </span>
          )
        }
      />
      <div style={{ marginTop: 12 }}>
        {steps.map(row)}
        {extra.map((step) => (
          <CheckRow key={step} status="ok" title={step} />
        ))}
      </div>
      {result.checkpoint === null ? null : (
        <>
          <Typography.Text strong>{t('verify.log.checkpoint')}</Typography.Text>
          <TextBlock text={result.checkpoint.note} testId="verify-log-checkpoint" />
        </>
      )}
    </div>
  );
}
