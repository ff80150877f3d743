import { Tabs } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useI18n } from '../i18n/locale';
import { PageHeading } from '../layout/page';
import { ChannelList } from './channel-list';
import { DeliveryLogTable } from './delivery-log-table';
import {
  deliveryFiltersFromSearch,
  deliveryFiltersToSearch,
  noDeliveryFilters,
} from './delivery-log';

/**
 * Alert notifications (docs/notifications.md), for those who configure alerts: the channels
 * (DingTalk, WeCom and Feishu robots, webhooks, e-mail) and the log of every delivery. The tab
 * and the log's filters live in the URL (`?tab=log&status=failed&channel=3`).
 */
export default function NotificationsPage() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'log' ? 'log' : 'channels';
  const filters = useMemo(() => deliveryFiltersFromSearch(search), [search]);

  return (
    <div data-testid="notifications-page">
      <PageHeading title={t('notifications.title')} subtitle={t('notifications.subtitle')} />
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setSearch(key === 'log' ? deliveryFiltersToSearch(noDeliveryFilters) : {})
        }
        items={[
          {
            key: 'channels',
            label: (
              <span data-testid="notifications-tab-channels">
                {t('notifications.tab.channels')}
              </span>
            ),
            children: (
              <ChannelList
                onShowLog={(channelId) =>
                  setSearch(deliveryFiltersToSearch({ ...noDeliveryFilters, channelId }))
                }
              />
            ),
          },
          {
            key: 'log',
            label: <span data-testid="notifications-tab-log">{t('notifications.tab.log')}</span>,
            children: (
              <DeliveryLogTable
                filters={filters}
                onChange={(next) => setSearch(deliveryFiltersToSearch(next))}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
