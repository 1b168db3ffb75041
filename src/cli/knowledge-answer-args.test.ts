import { describe, it, expect } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { knowledgeCommands } from './knowledge-commands.js';

describe('aios knowledge answer', () => {
  it('sends the whole answer, typed with or without quotes', async () => {
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        bodies.push(JSON.parse(data));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ file: 'faq/x.md' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const out = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      for (const argv of [
        ['knowledge', 'answer', 'gap_1', 'No, we do not. We do plumbing and heating only. Ask Sunny Roofs.'],
        ['knowledge', 'answer', 'gap_1', 'No,', 'we', 'do', 'not.', 'We', 'do', 'plumbing', 'and', 'heating', 'only.', 'Ask', 'Sunny', 'Roofs.'],
      ]) {
        const program = new Command().exitOverride();
        knowledgeCommands(program, () => ({ url, token: 't', slug: 'acme', home: '' }));
        await program.parseAsync(argv, { from: 'user' });
      }
    } finally {
      process.stdout.write = out;
      server.close();
    }
    expect(bodies).toEqual([
      { text: 'No, we do not. We do plumbing and heating only. Ask Sunny Roofs.' },
      { text: 'No, we do not. We do plumbing and heating only. Ask Sunny Roofs.' },
    ]);
  });
});
