import { SMTPServer } from 'smtp-server';

/** An in-process SMTP server that keeps every message it receives (raw RFC 5322 bytes). */
export interface SmtpSink {
  url: string;
  received: Buffer[];
  close(): Promise<void>;
}

/** Starts an SMTP sink on a free loopback port (no auth, no STARTTLS). */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: Buffer[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (d: Buffer) => chunks.push(d));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => smtp.close(() => r())) };
}
