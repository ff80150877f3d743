/** What the CLI and the alerts engine use of the notifications (docs/notifications.md). */
export { enqueueAlertNotices, type AlertNotice } from './notification.service.js';
export {
  deliverDueNotifications,
  deliverNow,
  DELIVERY_DEFAULTS,
  type DeliveryOptions,
} from './delivery.service.js';
export {
  createChannel as createNotificationChannel,
  updateChannel as updateNotificationChannel,
  removeChannel as removeNotificationChannel,
  testChannel as testNotificationChannel,
  retryDelivery as retryNotificationDelivery,
} from './channel.service.js';
export {
  listChannels as listNotificationChannels,
  listDeliveries as listNotificationDeliveries,
} from './notification.repository.js';
export { useSecretKeyFile } from './sealed.js';
