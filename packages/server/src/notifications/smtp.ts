import nodemailer from 'nodemailer';
import type { EmailConfig } from '@tierline/contract';
import { checkResolvedHost } from './address-guard.js';
import type { MailSpec } from './formats.js';

export interface MailAnswer {
  /** The SMTP reply code of the final answer (250 when accepted). */
  code: number | null;
  response: string;
}

/**
 * Send one message over SMTP with nodemailer. `security`: `tls` is TLS from the first byte
 * (SMTPS, port 465), `starttls` requires the STARTTLS upgrade before anything is sent (port
 * 587), `none` sends in the clear (only for a relay on a trusted network). Certificates are
 * verified. The password is the channel's secret. The whole exchange is bounded by
 * `timeoutMs` for each step (connect, greeting, each command).
 */
export async function sendMail(
  config: EmailConfig,
  password: string | null,
  mail: MailSpec,
  options: { timeoutMs: number },
): Promise<MailAnswer> {
  await checkResolvedHost(config.host);
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    ...(config.user ? { auth: { user: config.user, pass: password ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    logger: false,
    debug: false,
  });
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: config.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    const response = String(info.response ?? '');
    const code = /^(\d{3})/.exec(response)?.[1];
    if (info.rejected.length > 0 && info.accepted.length === 0) {
      throw Object.assign(new Error(`every recipient was refused: ${response}`), {
        responseCode: code ? Number(code) : null,
      });
    }
    return { code: code ? Number(code) : null, response };
  } finally {
    transport.close();
  }
}
