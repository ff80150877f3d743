import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import type { PolicyVersion } from '@tierline/contract';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Result,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/locale';
import { LinkButton, QueryError } from '../layout/page';
import { useCan, usePolicyValidation, usePolicyVersion, useSavePolicy } from '../tiering/tier-api';
import { useDebounced } from '../tiering/use-debounced';
import { BacktestPanel } from './backtest';
import { PolicyEditor } from './policy-editor';
import { draftJson, parseDraft, type Draft } from './policy-draft';
import { PolicyVersions } from './policy-versions';

/** How long the editor waits after the last change before it validates and previews. */
export const previewDelayMs = 600;

/**
 * One policy: the editor of its latest version (or `?version=`), with live validation and a
 * live preview; the backtest; and its versions with what changed between them. The draft lives
 * here so that the backtest can run it before it is saved.
 */
export default function PolicyPage() {
  const { t } = useI18n();
  const { name = '' } = useParams();
  const [search] = useSearchParams();
  const raw = search.get('version');
  const version = raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
  const loaded = usePolicyVersion(name, version);

  if (loaded.error instanceof ApiError && loaded.error.isNotFound) {
    return (
      <Card variant="borderless" data-testid="policy-not-found">
        <Result
          status="404"
          title={t('policy.notFound', { name })}
          extra={
            <LinkButton to="/policies" type="primary">
              {t('policies.title')}
            </LinkButton>
          }
        />
      </Card>
    );
  }
  if (loaded.error !== null) {
    return <QueryError error={loaded.error} onRetry={() => void loaded.refetch()} />;
  }
  if (loaded.data === undefined) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 12 }} />
      </Card>
    );
  }
  // A new version (saved, or another one opened) starts a new draft.
  return (
    <PolicyWorkspace key={loaded.data.id} saved={loaded.data} pinned={version !== undefined} />
  );
}

function PolicyWorkspace({ saved, pinned }: { saved: PolicyVersion; pinned: boolean }) {
  const { t } = useI18n();
  const can = useCan();
  const [text, setText] = useState(() => draftJson(saved.document));
  const [tab, setTab] = useState('editor');
  const [saving, setSaving] = useState(false);

  const parsed = useMemo(() => parseDraft(text), [text]);
  const draft = 'draft' in parsed ? parsed.draft : null;
  // Whitespace in the JSON editor is no change; the compact JSON is the draft's identity.
  const compact = draft === null ? null : JSON.stringify(draft);
  const dirty = compact !== JSON.stringify(saved.document);
  const settled = useDebounced(compact, previewDelayMs);
  const validation = usePolicyValidation(settled);
  const checked = validation.isPlaceholderData ? undefined : validation.data;
  const validDraft = checked?.valid === true && settled === compact ? draft : null;

  const update = (next: Draft) => setText(draftJson(next));

  return (
    <div data-testid="policy-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { title: <Link to="/policies">{t('policies.title')}</Link> },
          { title: saved.name },
        ]}
      />
      <div className="tl-page-heading">
        <div>
          <Space size={10} align="center" wrap>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="policy-title">
              {saved.name}
            </Typography.Title>
            <Tag>v{saved.version}</Tag>
            {pinned ? <Tag color="gold">{t('policy.pinned')}</Tag> : null}
            {dirty ? (
              <Tag color="orange" data-testid="policy-dirty">
                {t('policy.dirty')}
              </Tag>
            ) : null}
          </Space>
          <div>
            <Typography.Text type="secondary">
              {saved.note === '' ? t('policy.noNote') : saved.note} ·{' '}
              {t('policy.savedBy', {
                by: saved.createdBy ?? '—',
                at: saved.createdAt.slice(0, 10),
              })}
            </Typography.Text>
          </div>
        </div>
        <Space wrap>
          {dirty ? (
            <Button
              icon={<UndoOutlined />}
              onClick={() => setText(draftJson(saved.document))}
              data-testid="policy-reset"
            >
              {t('policy.reset')}
            </Button>
          ) : null}
          {can('policies:write') ? (
            <Button
              type="primary"
              icon={<SaveOutlined />}
              disabled={!dirty || validDraft === null}
              onClick={() => setSaving(true)}
              data-testid="policy-save"
            >
              {t('policy.save')}
            </Button>
          ) : null}
        </Space>
      </div>
      {can('policies:write') ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t(can('simulations:run') ? 'policy.readOnly' : 'policy.readOnlyNoPreview')}
          data-testid="policy-read-only"
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden={false}
        items={[
          {
            key: 'editor',
            label: t('policy.tab.editor'),
            children: (
              <PolicyEditor
                text={text}
                onText={setText}
                draft={draft}
                parseError={'error' in parsed ? parsed.error : null}
                onChange={update}
                validation={validation.data}
                validating={validation.isFetching || settled !== compact}
                validationError={validation.error}
                validDraft={validDraft}
                settledJson={settled}
                savedCycle={saved.document.cycle}
              />
            ),
          },
          {
            key: 'backtest',
            label: t('policy.tab.backtest'),
            children: (
              <BacktestPanel
                saved={saved}
                draft={dirty ? validDraft : null}
                active={tab === 'backtest'}
              />
            ),
          },
          {
            key: 'versions',
            label: t('policy.tab.versions'),
            children: <PolicyVersions name={saved.name} current={saved.version} />,
          },
        ]}
      />
      {saving && validDraft !== null ? (
        <SaveModal draft={validDraft} saved={saved} onClose={() => setSaving(false)} />
      ) : null}
    </div>
  );
}

/** Saves the draft as the next version of its policy (or version 1 of a new name), with a note. */
function SaveModal({
  draft,
  saved,
  onClose,
}: {
  draft: Draft;
  saved: PolicyVersion;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const save = useSavePolicy();
  const [form] = Form.useForm<{ note: string }>();
  const name = typeof draft['name'] === 'string' ? draft['name'] : saved.name;
  const renamed = name !== saved.name;

  return (
    <Modal
      open
      title={t('policy.save.title', { name })}
      okText={t('policy.save')}
      cancelText={t('app.cancel')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'policy-save-confirm' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {renamed
          ? t('policy.save.newName', { name })
          : t('policy.save.text', { next: saved.version + 1 })}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={({ note }) =>
          save.mutate(
            { document: draft, note: note.trim() },
            {
              onSuccess: (version) => {
                void message.success(
                  t('policy.save.done', { name: version.name, version: version.version }),
                );
                onClose();
                void navigate(`/policies/${encodeURIComponent(version.name)}`);
              },
            },
          )
        }
      >
        <Form.Item
          name="note"
          label={t('policy.save.note')}
          rules={[{ required: true, whitespace: true, message: t('policy.save.noteRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('policy.save.notePlaceholder')}
            data-testid="policy-save-note"
          />
        </Form.Item>
      </Form>
      {save.error === null ? null : (
        <Alert
          type="error"
          showIcon
          title={t('app.saveFailed')}
          description={save.error.message}
          data-testid="policy-save-error"
        />
      )}
    </Modal>
  );
}
