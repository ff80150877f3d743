import type { AlertDetail } from '@tierline/contract';
import { Alert, App, Button, Flex, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { useSignedIn } from '../auth/session';
import { useI18n } from '../i18n/locale';
import { useAlertAction, useAlertAssignees, type AlertAction } from './alert-api';
import { assigneeOptions, mayTakeAlert } from './assignees';

type Dialog = 'acknowledge' | 'resolve' | 'dismiss' | null;

/**
 * What a caller with alerts:manage may do with an alert: acknowledge, resolve, dismiss with a
 * reason of at least 5 characters, assign to anyone the server lists as a possible owner of the
 * dealer's alerts (or to themselves, or to nobody). The server checks the same rules; its
 * message is shown when it refuses.
 */
export function AlertActions({ alert }: { alert: AlertDetail }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { user } = useSignedIn();
  const action = useAlertAction(alert.id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');

  const closed = alert.status === 'resolved' || alert.status === 'dismissed';
  const assignees = useAlertAssignees(alert.dealer.id, !closed);
  const owners = assigneeOptions(assignees.data?.items ?? [], alert.owner, user.id);

  function run(step: AlertAction) {
    action.mutate(step, {
      onSuccess: () => {
        setDialog(null);
        setText('');
        void message.success(t('alerts.action.done'));
      },
    });
  }

  function confirm() {
    const value = text.trim();
    if (dialog === 'acknowledge')
      run({ kind: 'acknowledge', ...(value === '' ? {} : { comment: value }) });
    if (dialog === 'resolve') run({ kind: 'resolve', ...(value === '' ? {} : { note: value }) });
    if (dialog === 'dismiss') run({ kind: 'dismiss', reason: value });
  }

  const mine = alert.owner?.id === user.id;
  return (
    <>
      <Space wrap data-testid="alert-actions">
        {alert.status === 'open' ? (
          <Button
            type="primary"
            data-testid="alert-acknowledge"
            onClick={() => setDialog('acknowledge')}
          >
            {t('alerts.action.acknowledge')}
          </Button>
        ) : null}
        {closed ? null : (
          <>
            <Button data-testid="alert-resolve" onClick={() => setDialog('resolve')}>
              {t('alerts.action.resolve')}
            </Button>
            <Button danger data-testid="alert-dismiss" onClick={() => setDialog('dismiss')}>
              {t('alerts.action.dismiss')}
            </Button>
            <Select<number>
              data-testid="alert-owner"
              style={{ width: 220 }}
              popupMatchSelectWidth={false}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('alerts.assign.placeholder')}
              value={alert.owner?.id}
              loading={assignees.isPending || (action.isPending && dialog === null)}
              disabled={action.isPending}
              status={assignees.error === null ? undefined : 'error'}
              notFoundContent={
                assignees.error === null ? t('alerts.assign.none') : assignees.error.message
              }
              options={owners.map((o) => ({
                value: o.value,
                label: [
                  o.name,
                  o.me ? t('alerts.assign.me') : '',
                  o.role === null ? '' : ` · ${t(`role.${o.role}`)}`,
                  o.stale ? ` · ${t('alerts.assign.stale')}` : '',
                ].join(''),
              }))}
              onChange={(ownerUserId) => {
                if (ownerUserId !== alert.owner?.id) run({ kind: 'assign', ownerUserId });
              }}
            />
            {mine || !mayTakeAlert(assignees.data?.items, user.id) ? null : (
              <Button
                data-testid="alert-assign-me"
                disabled={action.isPending}
                onClick={() => run({ kind: 'assign', ownerUserId: user.id })}
              >
                {t('alerts.action.assignMe')}
              </Button>
            )}
            {alert.owner === null ? null : (
              <Button
                data-testid="alert-unassign"
                disabled={action.isPending}
                onClick={() => run({ kind: 'assign', ownerUserId: null })}
              >
                {t('alerts.action.unassign')}
              </Button>
            )}
          </>
        )}
      </Space>
      {action.error === null || dialog !== null ? null : (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          title={t('alerts.action.failed')}
          description={action.error.message}
        />
      )}
      <Modal
        open={dialog !== null}
        title={dialog === null ? '' : t(`alerts.action.${dialog}`)}
        okText={dialog === null ? '' : t(`alerts.action.${dialog}`)}
        okButtonProps={{
          danger: dialog === 'dismiss',
          disabled: dialog === 'dismiss' && text.trim().length < 5,
          loading: action.isPending,
          'data-testid': 'alert-dialog-ok',
        }}
        onOk={confirm}
        onCancel={() => {
          setDialog(null);
          action.reset();
        }}
        destroyOnHidden
      >
        <Flex vertical gap={12}>
          <Input.TextArea
            autoFocus
            rows={3}
            maxLength={2000}
            data-testid="alert-dialog-text"
            placeholder={dialog === 'dismiss' ? t('alerts.action.reason') : t('alerts.action.note')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          {action.error === null ? null : (
            <Alert type="error" showIcon title={action.error.message} />
          )}
        </Flex>
      </Modal>
    </>
  );
}

/** A comment box under the history. */
export function AlertComment({ id }: { id: number }) {
  const { t } = useI18n();
  const action = useAlertAction(id);
  const [text, setText] = useState('');
  return (
    <Flex vertical gap={8} data-testid="alert-comment">
      <Input.TextArea
        rows={2}
        maxLength={2000}
        placeholder={t('alerts.action.commentText')}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <Flex justify="end">
        <Button
          loading={action.isPending}
          disabled={text.trim() === ''}
          onClick={() =>
            action.mutate({ kind: 'comments', text: text.trim() }, { onSuccess: () => setText('') })
          }
        >
          {t('alerts.action.comment')}
        </Button>
      </Flex>
      {action.error === null ? null : <Alert type="error" showIcon title={action.error.message} />}
    </Flex>
  );
}
