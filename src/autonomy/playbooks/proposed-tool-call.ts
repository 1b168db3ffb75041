import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeToolCall } from '../actions/propose-tool-call.js';

/** Signal kind raised when a caller proposes a tool call on a registered MCP server. */
export const TOOL_CALL_PROPOSED = 'tool_call_proposed';

/** A proposed call of an external MCP tool, through the same policy gate and approvals as texts. */
export const proposedToolCall = definePlaybook({
  id: 'proposed-tool-call',
  version: 1,
  title: 'Run a proposed MCP tool call through the policy gate',
  trigger: { signal: TOOL_CALL_PROPOSED },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(),
  minutesPerRun: 3,
  async run(ctx, input) {
    const d = input.data as { connectionId: string; server: string; tool: string; arguments: Record<string, unknown>; summary: string; proposedBy: string };
    const out = await proposeToolCall(ctx, 'call', { connectionId: d.connectionId, server: d.server, tool: d.tool, arguments: d.arguments ?? {}, summary: d.summary, context: `proposed by ${d.proposedBy}`,
      untrusted: [{ label: `summary and arguments written by ${d.proposedBy}`, text: `${d.summary}\n${JSON.stringify(d.arguments ?? {}, null, 2)}` }] });
    const what = `${d.server}.${d.tool}`;
    if (out.status === 'done') return { summary: `ran ${what} (proposed by ${d.proposedBy}${out.approvedBy ? `, approved by ${out.approvedBy}` : ''})`, resolved: true };
    if (out.status === 'refused') return { summary: `refused by policy: ${out.reasons.map((r) => r.detail).join('; ')}`, resolved: true };
    if (out.status === 'rejected') return { summary: `owner rejected ${what}: ${out.reason ?? ''}`, resolved: true };
    if (out.status === 'expired') return { summary: `approval for ${what} expired`, resolved: true };
    return { summary: `${what} ${out.status}: ${out.error ?? ''}` };
  },
});
