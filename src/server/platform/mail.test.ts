import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type MailMessage,
  mailTransportFromEnv,
  memoryTransport,
  outboxTransport,
  smtpTransport,
} from './mail.ts';
import { StartupError } from './startup-error.ts';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tandem-mail-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

// --- A deliberately independent reader for what the outbox writes --------------------------

/** Splits an .eml into unfolded headers (RFC 5322 §2.2.3) and the raw body. */
function parseEml(raw: string) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).replace(/^ /, ''));
  }
  return { head, headers, body: raw.slice(split + 4) };
}

/** RFC 2047 decoding; whitespace between adjacent encoded-words is dropped (§6.2). */
const decodeWords = (value: string) =>
  value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) =>
      Buffer.from(b64, 'base64').toString('utf8'),
    );

/** RFC 2045 §6.7 decoding: drop soft line breaks, then "=XX" is one byte. */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=') {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

function expectValidQuotedPrintable(body: string) {
  for (const line of body.split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).toMatch(/^[\x21-\x7e \t]*$/);
    expect(line).not.toMatch(/[ \t]$/);
  }
}

async function sendAndRead(message: MailMessage, from = 'Tandem <no-reply@localhost>') {
  const lines: string[] = [];
  const transport = outboxTransport({ dir: tmp, from, log: (line) => lines.push(line) });
  await transport.send(message);
  const [name] = await readdir(tmp);
  const raw = await readFile(path.join(tmp, name as string), 'utf8');
  return { raw, name: name as string, lines, ...parseEml(raw) };
}

const HEADER_NAMES = [
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
];

describe('outboxTransport', () => {
  it('writes an RFC 5322 message whose headers and body decode to the original', async () => {
    const long = `Reset your password: https://tandem.example/reset#${'x'.repeat(120)} — Zoë`;
    const text = `Hello Zoë — café\n\n${long}\ntrailing space \nend=of=text`;
    const subject = 'Zoë — café: your invitation to join the coalition for better schools';
    const { raw, head, headers, body } = await sendAndRead({
      to: 'zoe@example.org',
      subject,
      text,
    });

    expect([...headers.keys()]).toEqual(HEADER_NAMES);
    expect(headers.get('from')).toBe('Tandem <no-reply@localhost>');
    expect(headers.get('to')).toBe('zoe@example.org');
    expect(headers.get('subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeWords(headers.get('subject') as string)).toBe(subject);
    expect(headers.get('date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(Date.parse(headers.get('date') as string)).not.toBeNaN();
    expect(headers.get('message-id')).toMatch(/^<[\w-]+@localhost>$/);
    expect(headers.get('mime-version')).toBe('1.0');
    expect(headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(headers.get('content-transfer-encoding')).toBe('quoted-printable');
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    // Every line ends in CRLF (RFC 5322 §2.3) and the whole file is 7-bit.
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw).not.toMatch(/[^\p{ASCII}]/u);

    expect(body.endsWith('\r\n')).toBe(true);
    const encoded = body.slice(0, -2);
    expectValidQuotedPrintable(encoded);
    expect(decodeQuotedPrintable(encoded)).toBe(text.replace(/\n/g, '\r\n'));
  });

  it('round-trips any subject and text', async () => {
    const transport = outboxTransport({ dir: tmp, from: 'T <t@localhost>', log: () => {} });
    await fc.assert(
      fc.asyncProperty(
        // size 'max': fast-check otherwise keeps strings near 10 units, too short to fold.
        fc.string({ unit: 'binary', maxLength: 120, size: 'max' }),
        fc.string({ unit: 'binary', maxLength: 300, size: 'max' }),
        async (subject, text) => {
          await rm(tmp, { recursive: true, force: true });
          await transport.send({ to: 'a@example.org', subject, text });
          const [name] = await readdir(tmp);
          const { head, headers, body } = parseEml(
            await readFile(path.join(tmp, name as string), 'utf8'),
          );
          // Nothing in the subject can add or break a header line.
          expect([...headers.keys()]).toEqual(HEADER_NAMES);
          for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
          expect(decodeWords(headers.get('subject') as string)).toBe(subject);
          expectValidQuotedPrintable(body.slice(0, -2));
          expect(decodeQuotedPrintable(body.slice(0, -2))).toBe(text.replace(/\r\n?|\n/g, '\r\n'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('folds a long ASCII subject at spaces, and encodes one that cannot be folded', async () => {
    for (const [subject, plain] of [
      [`${'word '.repeat(15)}${'x'.repeat(70)}  end`, true],
      [`${'x'.repeat(80)} end`, false],
      [`spaces${' '.repeat(80)}inside`, false],
      [' padded ', false],
      ['not =?UTF-8?B?eA==?= decoded', false],
    ] as const) {
      await rm(tmp, { recursive: true, force: true });
      const { head, headers } = await sendAndRead({ to: 'a@example.org', subject, text: '' });
      if (plain) expect(headers.get('subject')).toBe(subject);
      else expect(decodeWords(headers.get('subject') as string)).toBe(subject);
      for (const line of head.split('\r\n')) {
        expect(line.length).toBeLessThanOrEqual(78);
        expect(line.trim()).not.toBe('');
      }
    }
  });

  it('adds the HTML alternative as multipart/alternative, plain text first', async () => {
    const { headers, body } = await sendAndRead({
      to: 'a@example.org',
      subject: 'Hi',
      text: 'Plain café',
      html: '<p style="color:red">Café</p>',
    });
    const boundary = /boundary="([^"]+)"/.exec(headers.get('content-type') as string)?.[1];
    expect(headers.get('content-type')).toMatch(/^multipart\/alternative; /);
    const parts = body.split(`--${boundary}`);
    expect(parts).toHaveLength(4);
    expect(parts[3]).toBe('--\r\n');
    // Each part is "CRLF headers CRLF CRLF body CRLF" (the last CRLF belongs to the delimiter).
    const part = (index: number) => parseEml((parts[index] as string).slice(2));
    const plain = part(1);
    const html = part(2);
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(decodeQuotedPrintable(plain.body.slice(0, -2))).toBe('Plain café');
    expect(decodeQuotedPrintable(html.body.slice(0, -2))).toBe('<p style="color:red">Café</p>');
  });

  it('encodes or quotes the From display name and refuses header injection', async () => {
    expect(
      (await sendAndRead({ to: 'a@b.c', subject: 's', text: 't' }, 'Zoë <z@x.org>')).headers.get(
        'from',
      ),
    ).toMatch(/^=\?UTF-8\?B\?[^ ]+\?= <z@x\.org>$/);
    await rm(tmp, { recursive: true });
    expect(
      (
        await sendAndRead({ to: 'a@b.c', subject: 's', text: 't' }, 'Tandem, Inc. <z@x.org>')
      ).headers.get('from'),
    ).toBe('"Tandem, Inc." <z@x.org>');
    const transport = outboxTransport({ dir: tmp, from: 'T <t@x.org>', log: () => {} });
    await expect(
      transport.send({ to: 'a@b.c\r\nBcc: everyone@x.org', subject: 's', text: 't' }),
    ).rejects.toThrow(TypeError);
    expect(() => outboxTransport({ dir: tmp, from: 'T <t@x.org>\nBcc: x@y.z' })).toThrow(TypeError);
  });

  it('creates a private directory, logs the path, and names files to sort by time', async () => {
    const dir = path.join(tmp, 'data', 'outbox');
    const lines: string[] = [];
    const times = [
      '2030-01-01T10:00:00.000Z',
      '2029-12-31T23:59:59.999Z',
      '2030-01-01T09:59:59.999Z',
      '2030-01-01T10:00:00.001Z',
    ];
    let next = 0;
    const transport = outboxTransport({
      dir,
      from: 'Tandem <no-reply@localhost>',
      log: (line) => lines.push(line),
      now: () => new Date(times[next++] as string),
    });
    expect(transport.kind).toBe('outbox');
    for (const [i] of times.entries()) {
      await transport.send({ to: `u${i}@example.org`, subject: `Message\r\n${i}`, text: 'x' });
    }

    if (posix) expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const names = await readdir(dir);
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-[0-9a-f]{8}\.eml$/);
      if (posix) expect((await stat(path.join(dir, name))).mode & 0o777).toBe(0o600);
    }
    const byName = [...names].sort();
    const byTime = [...times].sort().map((t) => t.replaceAll(':', '-'));
    expect(byName.map((name) => name.slice(0, 24))).toEqual(byTime);
    // No temp files are left behind.
    expect(names.every((name) => name.endsWith('.eml'))).toBe(true);

    expect(lines).toHaveLength(4);
    const file = path.join(
      dir,
      names.find((n) => n.startsWith(times[0]?.replaceAll(':', '-') as string)) as string,
    );
    expect(lines[0]).toBe(`Email to u0@example.org "Message 0" written to ${file}`);
  });
});

describe('memoryTransport', () => {
  it('collects copies of what was sent', async () => {
    const transport = memoryTransport();
    const message = { to: 'a@example.org', subject: 'Hi', text: 'Body' };
    await transport.send(message);
    await transport.send({ ...message, html: '<p>Body</p>' });
    message.subject = 'changed';
    expect(transport.kind).toBe('memory');
    expect(transport.sent).toEqual([
      { to: 'a@example.org', subject: 'Hi', text: 'Body' },
      { to: 'a@example.org', subject: 'Hi', text: 'Body', html: '<p>Body</p>' },
    ]);
  });
});

describe('mailTransportFromEnv', () => {
  it('uses the outbox under the data directory by default', async () => {
    const lines: string[] = [];
    const dataDir = path.join(tmp, 'data');
    const { transport, description } = mailTransportFromEnv({
      dataDir,
      env: {},
      log: (line) => lines.push(line),
    });
    expect(transport.kind).toBe('outbox');
    const outbox = path.join(dataDir, 'outbox');
    expect(description).toBe(`Emails: written to ${outbox} (set TANDEM_SMTP_URL to send them)`);
    await transport.send({ to: 'a@example.org', subject: 'Hi', text: 'Body' });
    const [name] = await readdir(outbox);
    const raw = await readFile(path.join(outbox, name as string), 'utf8');
    expect(parseEml(raw).headers.get('from')).toBe('Tandem <no-reply@localhost>');
    expect(lines).toEqual([expect.stringMatching(/^Email to a@example\.org "Hi" written to /)]);
  });

  it('honours TANDEM_MAIL_FROM', async () => {
    const env = { TANDEM_MAIL_FROM: 'Coalition <hello@coalition.example>' };
    const { transport } = mailTransportFromEnv({ dataDir: tmp, env, log: () => {} });
    await transport.send({ to: 'a@example.org', subject: 'Hi', text: 'Body' });
    const dir = path.join(tmp, 'outbox');
    const [name] = await readdir(dir);
    const { headers } = parseEml(await readFile(path.join(dir, name as string), 'utf8'));
    expect(headers.get('from')).toBe('Coalition <hello@coalition.example>');
    expect(headers.get('message-id')).toMatch(/@coalition\.example>$/);
  });

  it('uses SMTP when TANDEM_SMTP_URL is set, describing it without credentials', () => {
    const env = { TANDEM_SMTP_URL: 'smtp://mailer:Sup3r%2Fsecret@mail.example.org:587' };
    const { transport, description } = mailTransportFromEnv({ dataDir: tmp, env });
    expect(transport.kind).toBe('smtp');
    expect(description).toBe('Emails: SMTP smtp://mail.example.org:587');
    expect(description).not.toMatch(/Sup3r|secret|mailer/);
  });

  it('fails start-up on a malformed URL without echoing it', () => {
    for (const url of ['http://u:Sup3rsecret@host', 'smtp://u:Sup3r secret@ho st:x']) {
      const run = () => mailTransportFromEnv({ dataDir: tmp, env: { TANDEM_SMTP_URL: url } });
      expect(run).toThrow(StartupError);
      expect(run).toThrow(/^TANDEM_SMTP_URL: /);
      expect(run).not.toThrow(/Sup3r/);
    }
  });
});

/**
 * A minimal SMTP server (RFC 5321) on loopback that answers just enough for nodemailer to send a
 * message. With `rejectAuth` it refuses AUTH and, like a careless server, echoes the credentials.
 */
async function startSmtpServer(options: { rejectAuth?: boolean } = {}) {
  const received: { auth: string[]; data: string[] } = { auth: [], data: [] };
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 localhost ESMTP test');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          received.data.push(Buffer.from(buffer.slice(0, end), 'latin1').toString('utf8'));
          buffer = buffer.slice(end + 5);
          inData = false;
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-localhost\r\n250 AUTH PLAIN');
        else if (verb === 'AUTH') {
          const credentials = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          received.auth.push(credentials);
          reply(options.rejectAuth ? `535 5.7.8 No: ${line} (${credentials})` : '235 2.7.0 OK');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 Go ahead');
        } else if (verb === 'QUIT') {
          reply('221 Bye');
          socket.end();
        } else reply('250 OK');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('smtpTransport', () => {
  it('sends through an SMTP server, with percent-decoded credentials', async () => {
    const server = await startSmtpServer();
    try {
      const transport = smtpTransport({
        url: `smtp://mailer:p%40ss%3Aword@127.0.0.1:${server.port}`,
        from: 'Tandem <no-reply@localhost>',
      });
      expect(transport.kind).toBe('smtp');
      await transport.send({
        to: 'zoe@example.org',
        subject: 'Zoë — café',
        text: 'Hello Zoë',
        html: '<p>Hello Zoë</p>',
      });
      expect(server.received.auth).toEqual(['\0mailer\0p@ss:word']);
      const [data] = server.received.data;
      expect(data).toMatch(/^To: zoe@example\.org$/m);
      expect(data).toMatch(/^Content-Type: multipart\/alternative/m);
      expect(data).toMatch(/^Subject: =\?UTF-8\?/m);
    } finally {
      await server.close();
    }
  });

  it('redacts the password from errors, even when the server echoes it', async () => {
    const server = await startSmtpServer({ rejectAuth: true });
    try {
      const password = 'Sup3r/secret';
      const url = `smtp://mailer:${encodeURIComponent(password)}@127.0.0.1:${server.port}`;
      const transport = smtpTransport({ url, from: 'Tandem <no-reply@localhost>' });
      const error = await transport.send({ to: 'a@example.org', subject: 'Hi', text: 'Body' }).then(
        () => undefined,
        (e: unknown) => e as Error & Record<string, unknown>,
      );
      expect(server.received.auth).toEqual([`\0mailer\0${password}`]);
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).toMatch(/^Could not send email via smtp:\/\/127\.0\.0\.1:\d+: .*535/);
      expect(error?.responseCode).toBe(535);
      const everything = [error?.message, error?.stack, JSON.stringify(error), error?.cause].join();
      const plain = Buffer.from(`\0mailer\0${password}`).toString('base64');
      for (const secret of [password, encodeURIComponent(password), plain]) {
        expect(everything).not.toContain(secret);
      }
      expect(error?.message).toContain('[redacted]');
    } finally {
      await server.close();
    }
  });

  it('rejects a bad URL without putting it in the message', () => {
    expect(() => smtpTransport({ url: 'smtp://u:Sup3rsecret@', from: 'x@y.z' })).toThrow(TypeError);
    expect(() => smtpTransport({ url: 'ftp://u:Sup3rsecret@h', from: 'x@y.z' })).not.toThrow(
      /Sup3r/,
    );
  });
});
