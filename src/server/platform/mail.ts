import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Transporter } from 'nodemailer';
import { StartupError } from './startup-error.ts';

/**
 * Account emails (invitations, password resets). In development nothing is sent: each message is
 * written to an outbox directory as a `.eml` file that any mail client opens, and its path is
 * logged; with TANDEM_SMTP_URL set, messages go out over SMTP through nodemailer.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** optional HTML alternative */
  html?: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox' | 'memory';
  send(message: MailMessage): Promise<void>;
}

const DEFAULT_FROM = 'Tandem <no-reply@localhost>';
const CRLF = '\r\n';

/**
 * Writes each message as an RFC 5322 `.eml` file (quoted-printable UTF-8 body, RFC 2047 subject)
 * into `dir`, named `<ISO timestamp, ":" → "-">-<8 hex>.eml` so a directory listing sorts by
 * time. Files are written to a dot-prefixed temp name and renamed, so a reader never sees half a
 * message. Both directory (0o700) and files (0o600) are private: reset links are bearer secrets.
 */
export function outboxTransport(options: {
  dir: string;
  from: string;
  log?: (line: string) => void;
  now?: () => Date;
}): MailTransport {
  const { dir, from } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  assertHeaderSafe(from, 'From address');
  return {
    kind: 'outbox',
    async send(message) {
      assertHeaderSafe(message.to, 'recipient address');
      const date = now();
      const eml = renderEml(message, { from, date });
      const stamp = date.toISOString().replaceAll(':', '-');
      const file = path.join(dir, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
      // Created on each send, not once, so deleting the outbox while the server runs is harmless.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeAtomically(file, eml);
      log(`Email to ${oneLine(message.to)} "${oneLine(message.subject)}" written to ${file}`);
    },
  };
}

/** Keeps messages in memory (tests read `sent`). */
export function memoryTransport(): MailTransport & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    kind: 'memory',
    sent,
    async send(message) {
      // A copy, so a caller that reuses its object cannot rewrite what was "sent".
      sent.push({ ...message });
    },
  };
}

/**
 * SMTP via nodemailer, from `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the start). User and password are percent-decoded, so a
 * password containing `@`, `:` or `/` is written `%40`, `%3A`, `%2F`. nodemailer is imported on
 * the first send, not at start-up, since most installations never load it. No error thrown from
 * here carries the password: messages are redacted and the original error is not attached.
 */
export function smtpTransport(options: { url: string; from: string }): MailTransport {
  const url = parseSmtpUrl(options.url);
  const redact = redactor(options.url, url);
  const user = decodeUriPart(url.username);
  const pass = decodeUriPart(url.password);
  let transporter: Promise<Transporter> | undefined;
  const connect = async (): Promise<Transporter> => {
    const { createTransport } = await import('nodemailer');
    return createTransport({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'), // IPv6 literals come bracketed from URL
      port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
      secure: url.protocol === 'smtps:',
      auth: user || pass ? { user, pass } : undefined,
      // nodemailer waits up to 2 min to connect and 10 min on a quiet socket; an email is sent
      // while a person waits for a page, so give up sooner and let them retry.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  };
  return {
    kind: 'smtp',
    async send(message) {
      try {
        transporter ??= connect();
        const mailer = await transporter.catch((error: unknown) => {
          transporter = undefined; // a failed import may succeed later (e.g. after npm install)
          throw error;
        });
        await mailer.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
        });
      } catch (error) {
        throw redactedError(error, redact, describeSmtpUrl(url));
      }
    },
  };
}

/**
 * Chooses SMTP when env TANDEM_SMTP_URL is set, else the outbox in `<dataDir>/outbox`; the From
 * address is TANDEM_MAIL_FROM or "Tandem <no-reply@localhost>". `description` is one line for the
 * start-up log and never contains credentials. A malformed TANDEM_SMTP_URL fails start-up rather
 * than the first invitation.
 */
export function mailTransportFromEnv(options: {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): { transport: MailTransport; description: string } {
  const env = options.env ?? process.env;
  const from = env.TANDEM_MAIL_FROM?.trim() || DEFAULT_FROM;
  if (/[\p{Cc}]/u.test(from)) throw new StartupError('TANDEM_MAIL_FROM must be a single line.');
  const smtpUrl = env.TANDEM_SMTP_URL?.trim();
  if (smtpUrl) {
    let transport: MailTransport;
    try {
      transport = smtpTransport({ url: smtpUrl, from });
    } catch (error) {
      throw new StartupError(`TANDEM_SMTP_URL: ${(error as Error).message}`);
    }
    return { transport, description: `Emails: SMTP ${describeSmtpUrl(parseSmtpUrl(smtpUrl))}` };
  }
  const dir = path.join(options.dataDir, 'outbox');
  return {
    transport: outboxTransport({ dir, from, ...(options.log ? { log: options.log } : {}) }),
    description: `Emails: written to ${dir} (set TANDEM_SMTP_URL to send them)`,
  };
}

// ---------------------------------------------------------------------------------------------
// .eml rendering

function renderEml(message: MailMessage, envelope: { from: string; date: Date }): string {
  const fromAddress = /<([^<>]*)>\s*$/.exec(envelope.from)?.[1] ?? envelope.from;
  const domain = fromAddress.split('@')[1]?.trim() ?? '';
  const headers = [
    header('From', formatMailbox(envelope.from)),
    header('To', message.to),
    unstructuredHeader('Subject', message.subject),
    header('Date', rfc5322Date(envelope.date)),
    // RFC 5322 §3.6.4: msg-id is "<" id-left "@" id-right ">", unique worldwide; a random UUID
    // under the sender's domain is the usual recipe. The domain is used only if it is a plain
    // dot-atom, since anything else would need quoting there.
    header(
      'Message-ID',
      `<${randomUUID()}@${/^[\w.-]+$/.test(domain) ? domain : 'tandem.invalid'}>`,
    ),
    header('MIME-Version', '1.0'),
  ];
  const textPart = (subtype: 'plain' | 'html', body: string) =>
    [
      `Content-Type: text/${subtype}; charset=utf-8`,
      'Content-Transfer-Encoding: quoted-printable',
      '',
      encodeQuotedPrintable(body),
    ].join(CRLF);
  if (message.html === undefined) {
    return [...headers, textPart('plain', message.text), ''].join(CRLF);
  }
  // RFC 2046 §5.1.4: alternatives in increasing order of preference, plain text first. The
  // boundary starts with "=_", which quoted-printable output can never contain ("=" is always
  // followed by two hex digits or a line break), so no part can accidentally end the message.
  const boundary = `=_tandem_${randomBytes(12).toString('hex')}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    textPart('plain', message.text),
    `--${boundary}`,
    textPart('html', message.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/**
 * RFC 5322 §2.1.1: header lines SHOULD stay within 78 characters. §2.2.3: a long header is folded
 * by inserting CRLF before existing whitespace, which unfolding removes again, so folding only
 * ever happens at a space and never leaves a line of whitespace alone.
 */
function header(name: string, value: string): string {
  const lines: string[] = [];
  let line = '';
  for (const token of `${name}: ${value}`.split(/(?= )/)) {
    if (line.length + token.length > 78 && line.trim() && token.trim()) {
      lines.push(line);
      line = token;
    } else {
      line += token;
    }
  }
  lines.push(line);
  return lines.join(CRLF);
}

/**
 * An unstructured header (Subject). Printable ASCII is written as is when it folds cleanly within
 * 78 columns; anything else becomes RFC 2047 encoded-words, which can be folded anywhere: control
 * characters (so CR/LF cannot inject a header), non-ASCII, text containing "=?" (a reader would
 * try to decode it), leading or trailing spaces (parsers trim them), and long unbreakable runs.
 */
function unstructuredHeader(name: string, text: string): string {
  if (!/[^\x20-\x7e]|=\?|^ | $/.test(text)) {
    const folded = header(name, text);
    if (folded.split(CRLF).every((line) => line.length <= 78)) return folded;
  }
  return header(name, encodeWords(text));
}

/**
 * RFC 2047 "B" encoded-words, `=?UTF-8?B?<base64>?=`. §2: an encoded-word is at most 75
 * characters; 42 bytes make 56 base64 characters, so a word is 68 and even the first one fits on
 * "Subject: …" within 78 columns. §5: each word must hold whole characters, so the text is cut
 * between code points, never inside a UTF-8 sequence. §6.2: whitespace between adjacent
 * encoded-words is dropped on decoding, so joining with spaces (where folding happens) adds none.
 */
function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
    chunk = '';
  };
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 42) flush();
    chunk += char;
  }
  flush();
  return words.join(' ');
}

/**
 * A mailbox header value, `Display Name <local@domain>` (RFC 5322 §3.4). The display name is a
 * phrase: kept if it is atoms and spaces (or already quoted), quoted if it holds specials such as
 * "," or ".", and RFC 2047-encoded if it is not printable ASCII (§5(3) allows encoded-words in a
 * phrase).
 */
function formatMailbox(mailbox: string): string {
  const match = /^(.*?)\s*<([^<>]*)>$/.exec(mailbox.trim());
  if (!match) return mailbox.trim();
  const [, name = '', address = ''] = match;
  if (!name) return `<${address}>`;
  let phrase: string;
  if (/[^\x20-\x7e]|=\?/.test(name)) phrase = encodeWords(name);
  else if (/^[\w!#$%&'*+\-/=?^`{|}~ ]+$/.test(name) || /^"([^"\\]|\\.)*"$/.test(name))
    phrase = name;
  else phrase = `"${name.replace(/["\\]/g, '\\$&')}"`;
  return `${phrase} <${address}>`;
}

/**
 * RFC 5322 §3.3 date-time, e.g. "Tue, 01 Jan 2030 09:00:00 +0000". `toUTCString()` gives that
 * shape but ends in "GMT", an obsolete zone (§4.3) that generators must not produce.
 */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * Quoted-printable (RFC 2045 §6.7) over the UTF-8 bytes of `text`. Chosen over 8bit because it
 * also survives 7-bit relays and keeps every line within limits however long the text's lines are.
 * Line breaks become CRLF, the only line ending RFC 5322 §2.3 allows (rule 4: a hard break).
 */
function encodeQuotedPrintable(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map(encodeQuotedPrintableLine).join(CRLF);
}

function encodeQuotedPrintableLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const atEnd = i === bytes.length - 1;
    // Rule 2: printable ASCII stands for itself, except "=" (33–60, 62–126). Rule 3: space and
    // tab too, but not at the end of a line, where transports may strip them.
    const literal =
      (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !atEnd);
    // Rule 1: anything else is "=" and two uppercase hex digits.
    const token = literal
      ? String.fromCharCode(byte)
      : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    // Rule 5: encoded lines are at most 76 characters; a soft line break ("=" at the end of a
    // line) continues the line, and is itself one of the 76, so at most 75 before it. Escapes
    // are tokens, so "=XX" is never split.
    if (current.length + token.length > 75) {
      out.push(`${current}=`);
      current = '';
    }
    current += token;
  }
  out.push(current);
  return out.join(CRLF);
}

/**
 * Writes `file` so that it appears whole or not at all: the content goes to a temp name in the
 * same directory (rename is atomic only within one file system), is flushed to disk, and is then
 * renamed into place. The temp name starts with "." and does not end in ".eml", so a reader
 * listing the outbox skips it.
 */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Refuses CR, LF and other control characters, which would let a value start a new header. */
function assertHeaderSafe(value: string, what: string): void {
  if (/[\p{Cc}]/u.test(value)) throw new TypeError(`Invalid ${what}: control characters`);
}

/** Keeps a log entry on one line whatever the subject contains. */
const oneLine = (value: string) => value.replace(/[\p{Cc}]+/gu, ' ');

// ---------------------------------------------------------------------------------------------
// SMTP URL handling

/** Validates the URL without ever putting it in an error message: it holds the password. */
function parseSmtpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Node's ERR_INVALID_URL carries the input in `error.input`; it is deliberately dropped.
    throw new TypeError('not a valid URL; expected smtp://user:password@host:587 or smtps://…');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new TypeError(`unsupported scheme "${url.protocol}"; expected smtp: or smtps:`);
  }
  if (!url.hostname) throw new TypeError('the URL names no host');
  return url;
}

/** `smtp://host:587`: scheme, host and port only, for logs. */
function describeSmtpUrl(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function decodeUriPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // a stray "%" is taken literally rather than rejected
  }
}

/**
 * Returns a function that removes every form in which the credentials can show up in an error
 * message: the URL as given and as normalised, the password raw and percent-decoded, and the
 * base64 forms that AUTH LOGIN (password alone) and AUTH PLAIN ("\0user\0password", RFC 4616)
 * send, which a server may echo in its reply.
 */
function redactor(raw: string, url: URL): (text: string) => string {
  const user = decodeUriPart(url.username);
  const pass = decodeUriPart(url.password);
  const safe = describeSmtpUrl(url);
  const replacements: Array<[string, string]> = [
    [raw, safe],
    [url.href, safe],
  ];
  if (url.password) {
    const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
    for (const secret of [url.password, pass, base64(pass), base64(`\0${user}\0${pass}`)]) {
      replacements.push([secret, '[redacted]']);
    }
  }
  // Longest first, so the URL is replaced whole before the password inside it.
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => replacements.reduce((acc, [secret, by]) => acc.split(secret).join(by), text);
}

/**
 * A fresh error with a redacted message and nodemailer's safe diagnostic fields (`code`,
 * `responseCode`, redacted `response`). The original is not attached as `cause`: its other
 * properties (the command sent, the URL) could hold the secret, and loggers print causes.
 */
function redactedError(error: unknown, redact: (text: string) => string, where: string): Error {
  const original = (error ?? {}) as {
    message?: unknown;
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
  };
  const message = typeof original.message === 'string' ? original.message : String(error);
  const result = new Error(`Could not send email via ${where}: ${redact(message)}`) as Error &
    Record<string, unknown>;
  if (typeof original.code === 'string') result.code = original.code;
  if (typeof original.responseCode === 'number') result.responseCode = original.responseCode;
  if (typeof original.response === 'string') result.response = redact(original.response);
  return result;
}
