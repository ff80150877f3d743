import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ErrorBody,
  Id,
  NewNotificationChannel,
  NotificationChannel,
  NotificationChannelList,
  NotificationChannelPatch,
  NotificationDelivery,
  NotificationDeliveryPage,
  NotificationDeliveryQuery,
} from '@tierline/contract';
import { withTenant } from '../db/tenant-scope.js';
import type { AppContext } from '../http/context.js';
import { originOf, principalOf } from '../auth/guard.js';
import {
  createChannel,
  removeChannel,
  retryDelivery,
  testChannel,
  updateChannel,
} from './channel.service.js';
import { listChannels, listDeliveries } from './notification.repository.js';

const TAGS = ['notifications'];
const IdParams = z.object({ id: Id });

/** `/api/v1/notifications/…`: channels and the delivery log (alerts:configure, admins only). */
export const notificationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/notifications/channels',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Notification channels (secrets are never shown, only whether one is set)',
          response: { 200: NotificationChannelList, 401: ErrorBody, 403: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        const items = await withTenant(ctx.db, tenantId, (trx) => listChannels(trx, tenantId), {
          readOnly: true,
        });
        return { items };
      },
    );

    app.post(
      '/notifications/channels',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Add a channel: webhook, DingTalk, WeCom or Feishu robot, or e-mail',
          description:
            'URLs must be http(s) and, unless the server allows it (TIERLINE_NOTIFY_ALLOW_PRIVATE=1), point to a public host. The secret is write-only.',
          body: NewNotificationChannel,
          response: {
            201: NotificationChannel,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        const channel = await createChannel(ctx.db, tenantId, request.body, originOf(request));
        return reply.status(201).send(channel);
      },
    );

    app.patch(
      '/notifications/channels/:id',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Change a channel',
          description:
            'Only the fields sent change. `config` replaces the whole config (a masked URL sent back unchanged keeps the stored one); `secret: null` clears the secret.',
          params: IdParams,
          body: NotificationChannelPatch,
          response: {
            200: NotificationChannel,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return updateChannel(ctx.db, tenantId, request.params.id, request.body, originOf(request));
      },
    );

    app.delete(
      '/notifications/channels/:id',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Delete a channel and its delivery log',
          params: IdParams,
          response: { 204: z.null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const { tenantId } = principalOf(request);
        await removeChannel(ctx.db, tenantId, request.params.id, originOf(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/notifications/channels/:id/test',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Send a test message now and answer how it went',
          description:
            'Sends a sample alert over the channel (even a disabled one) and answers the logged delivery: delivered, or dead with the error and the first 1 KB of the answer. Not retried.',
          params: IdParams,
          response: { 200: NotificationDelivery, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return testChannel(ctx.db, tenantId, request.params.id, originOf(request));
      },
    );

    app.get(
      '/notifications/deliveries',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'The delivery log, newest first',
          querystring: NotificationDeliveryQuery,
          response: {
            200: NotificationDeliveryPage,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return withTenant(ctx.db, tenantId, (trx) => listDeliveries(trx, tenantId, request.query), {
          readOnly: true,
        });
      },
    );

    app.post(
      '/notifications/deliveries/:id/retry',
      {
        config: { access: 'alerts:configure' },
        schema: {
          tags: TAGS,
          summary: 'Send a failed or dead delivery again now',
          description:
            'Gives the delivery a fresh round of attempts and sends it at once; the answer is the delivery after that attempt.',
          params: IdParams,
          response: {
            200: NotificationDelivery,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (request) => {
        const { tenantId } = principalOf(request);
        return retryDelivery(ctx.db, tenantId, request.params.id, originOf(request));
      },
    );
  };
