import type {
  NewNotificationChannel,
  NotificationChannel,
  NotificationChannelKind,
  NotificationChannelPatch,
  NotificationEvent,
  NotificationSeverity,
} from '@tierline/contract';

/** The kinds of channel, in the order the console offers them. */
export const channelKinds: readonly NotificationChannelKind[] = [
  'dingtalk',
  'wecom',
  'feishu',
  'webhook',
  'email',
];
export const notificationEvents: readonly NotificationEvent[] = ['opened', 'escalated', 'resolved'];
export const notificationSeverities: readonly NotificationSeverity[] = [
  'info',
  'warning',
  'critical',
];

/**
 * What the channel form edits: every kind's fields side by side (only the chosen kind's are
 * shown and sent). `secret` is write-only: empty keeps the stored one (or sets none), and
 * `clearSecret` removes it. An empty `regionCodes` means every region.
 */
export interface ChannelFormValues {
  name: string;
  kind: NotificationChannelKind;
  enabled: boolean;
  minSeverity: NotificationSeverity;
  events: NotificationEvent[];
  regionCodes: string[];
  url: string;
  format: 'interactive' | 'text';
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  user: string;
  from: string;
  to: string[];
  secret: string;
  clearSecret: boolean;
}

/** The form fields a server path can name. */
export type ChannelFormField = keyof ChannelFormValues;

/** Whether a kind takes a secret: WeCom robots have no signing (the key in the URL is all). */
export function takesSecret(kind: NotificationChannelKind): boolean {
  return kind !== 'wecom';
}

const emptyForm: ChannelFormValues = {
  name: '',
  kind: 'dingtalk',
  enabled: true,
  minSeverity: 'warning',
  events: ['opened', 'escalated', 'resolved'],
  regionCodes: [],
  url: '',
  format: 'interactive',
  host: '',
  port: 587,
  security: 'starttls',
  user: '',
  from: '',
  to: [],
  secret: '',
  clearSecret: false,
};

/** The form of a new channel (the server's defaults), or of a channel as the API answered it. */
export function channelFormValues(channel?: NotificationChannel): ChannelFormValues {
  if (channel === undefined) return { ...emptyForm, events: [...emptyForm.events] };
  const common = {
    ...emptyForm,
    name: channel.name,
    kind: channel.kind,
    enabled: channel.enabled,
    minSeverity: channel.minSeverity,
    events: [...channel.events],
    regionCodes: [...(channel.regionCodes ?? [])],
  };
  switch (channel.kind) {
    case 'webhook':
    case 'dingtalk':
    case 'wecom':
      return { ...common, url: channel.config.url };
    case 'feishu':
      return { ...common, url: channel.config.url, format: channel.config.format };
    case 'email':
      return {
        ...common,
        host: channel.config.host,
        port: channel.config.port,
        security: channel.config.security,
        user: channel.config.user ?? '',
        from: channel.config.from,
        to: [...channel.config.to],
      };
  }
}

const trimmed = (value: string) => value.trim();

/** The body of `POST /notifications/channels`: the chosen kind with its config. */
export function newChannelBody(values: ChannelFormValues): NewNotificationChannel {
  const secret = takesSecret(values.kind) && values.secret !== '' ? values.secret : undefined;
  const fields = {
    name: values.name.trim(),
    minSeverity: values.minSeverity,
    events: [...values.events],
    regionCodes: values.regionCodes.length === 0 ? null : [...values.regionCodes],
    enabled: values.enabled,
    ...(secret === undefined ? {} : { secret }),
  };
  const url = trimmed(values.url);
  switch (values.kind) {
    case 'webhook':
      return { kind: 'webhook', config: { url }, ...fields };
    case 'dingtalk':
      return { kind: 'dingtalk', config: { url }, ...fields };
    case 'wecom':
      return { kind: 'wecom', config: { url }, ...fields };
    case 'feishu':
      return { kind: 'feishu', config: { url, format: values.format }, ...fields };
    case 'email':
      return {
        kind: 'email',
        config: {
          host: trimmed(values.host),
          port: values.port,
          security: values.security,
          user: trimmed(values.user) === '' ? null : trimmed(values.user),
          from: trimmed(values.from),
          to: values.to.map(trimmed).filter((address) => address !== ''),
        },
        ...fields,
      };
  }
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/**
 * The body of `PATCH /notifications/channels/{id}`: only what changed. The config goes whole
 * when any of it changed (the API replaces it); a masked robot URL sent back unchanged keeps
 * the stored one. The secret goes only when typed, or as null to clear it.
 */
export function channelPatch(
  values: ChannelFormValues,
  channel: NotificationChannel,
): NotificationChannelPatch {
  const patch: NotificationChannelPatch = {};
  const name = values.name.trim();
  if (name !== channel.name) patch.name = name;
  const { config } = newChannelBody({ ...values, kind: channel.kind });
  if (!same(config, channel.config)) patch.config = config;
  if (values.minSeverity !== channel.minSeverity) patch.minSeverity = values.minSeverity;
  if (!same([...values.events].sort(), [...channel.events].sort())) {
    patch.events = [...values.events];
  }
  const regionCodes = values.regionCodes.length === 0 ? null : [...values.regionCodes];
  if (!same(regionCodes, channel.regionCodes)) patch.regionCodes = regionCodes;
  if (values.enabled !== channel.enabled) patch.enabled = values.enabled;
  if (takesSecret(channel.kind)) {
    if (values.clearSecret) {
      if (channel.hasSecret) patch.secret = null;
    } else if (values.secret !== '') {
      patch.secret = values.secret;
    }
  }
  return patch;
}

/** The form field that a path of the API names (`config.to.2` → `to`), if any. */
export function fieldOfPath(path: string): ChannelFormField | null {
  const [first, second] = path.split('.');
  switch (first) {
    case 'name':
    case 'kind':
    case 'secret':
    case 'minSeverity':
    case 'events':
    case 'regionCodes':
    case 'enabled':
      return first;
    case 'config':
      switch (second) {
        case 'url':
        case 'format':
        case 'host':
        case 'port':
        case 'security':
        case 'user':
        case 'from':
        case 'to':
          return second;
        default:
          return null;
      }
    default:
      return null;
  }
}

/** Why the server refused a save, sorted onto the form: messages by field, and the rest. */
export interface ServerFieldErrors {
  fields: { name: ChannelFormField; errors: string[] }[];
  /** Problems that name no field of the form: shown above it. */
  other: string[];
}

/**
 * The errors of a refused save by field, from the error's `details`: `{ fields: [{ path,
 * message }] }` for invalid values (from the request schema or the server's own checks, such
 * as a private address), `{ field }` for a conflict on one field (a name in use), when the
 * error's own message says what is wrong.
 */
export function serverFieldErrors(details: unknown, message: string): ServerFieldErrors {
  const byField = new Map<ChannelFormField, string[]>();
  const other: string[] = [];
  const add = (path: string, text: string) => {
    const field = fieldOfPath(path);
    if (field === null) other.push(path === '' ? text : `${path}: ${text}`);
    else byField.set(field, [...(byField.get(field) ?? []), text]);
  };
  if (typeof details === 'object' && details !== null) {
    if ('fields' in details && Array.isArray(details.fields)) {
      for (const item of details.fields as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        const path = 'path' in item && typeof item.path === 'string' ? item.path : '';
        const text = 'message' in item && typeof item.message === 'string' ? item.message : '';
        add(path, text === '' ? message : text);
      }
    } else if ('field' in details && typeof details.field === 'string') {
      add(details.field, message);
    }
  }
  const fields = [...byField].map(([name, errors]) => ({ name, errors }));
  if (fields.length === 0 && other.length === 0) other.push(message);
  return { fields, other };
}

/** Where a channel sends, as the list shows it: the (masked) URL, or the recipients and server. */
export function channelTarget(channel: NotificationChannel): string {
  switch (channel.kind) {
    case 'webhook':
    case 'dingtalk':
    case 'wecom':
    case 'feishu':
      return channel.config.url;
    case 'email':
      return `${channel.config.to.join(', ')} · ${channel.config.host}:${channel.config.port}`;
  }
}
