import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Shadow mode replaces `ctx` (and the outbox belt stops what reaches the outbox): playbook code
 * must touch the engine and the world only through `ctx`. This fails the build when a playbook,
 * the conversation code or the propose* helpers import DBOS or a channel directly.
 */
const ROOT = new URL('../', import.meta.url).pathname;
const FOLDERS = ['playbooks', 'conversation', 'actions'];
const FORBIDDEN: Array<[RegExp, string]> = [
  [/from '@dbos-inc\/dbos-sdk'/, 'imports DBOS (use ctx.step / ctx.send / ctx.waitFor / ctx.raise)'],
  [/\bDBOS\./, 'calls DBOS (use ctx.step / ctx.send / ctx.waitFor / ctx.raise)'],
  [/connection\/channels\/(?!channel\.js|rendered-channel\.js)/, 'imports a channel (send through the outbox: proposeSms / proposeEmail / …)'],
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('playbook code goes through ctx', () => {
  it('no DBOS and no channel imports in playbooks/, conversation/, actions/', () => {
    const problems: string[] = [];
    for (const folder of FOLDERS) {
      for (const f of files(join(ROOT, folder))) {
        const code = readFileSync(f, 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '');
        for (const [re, why] of FORBIDDEN) if (re.test(code)) problems.push(`${f.slice(ROOT.length)} ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('would catch one (the check is not vacuous)', () => {
    expect(FORBIDDEN[1]![0].test("await DBOS.send(runId, msg, topic)")).toBe(true);
    expect(FORBIDDEN[2]![0].test("import { TwilioSmsChannel } from '../../connection/channels/sms-twilio.js'")).toBe(true);
  });
});
