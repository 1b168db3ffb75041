import { vi } from 'vitest';
import { Command } from 'commander';

/**
 * Runs `aios <args>` in this process: `register` adds the commands under test to a fresh
 * commander program (e.g. `(p) => invoiceCommands(p, () => target)`); returns what they printed
 * on stdout. Faster than a child process, for tests of one command group's output.
 */
export async function runCli(register: (program: Command) => void, ...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((x: string | Uint8Array) => (out.push(String(x)), true));
  try {
    const program = new Command().exitOverride();
    register(program);
    await program.parseAsync(['node', 'aios', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}
