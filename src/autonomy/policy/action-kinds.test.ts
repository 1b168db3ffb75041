import { describe, it, expect } from 'vitest';
import { ACTION_KINDS, isKnownActionKind } from './action-kinds.js';
import { CONNECTORS } from '../../server/connectors.js';

describe('action kinds a policy may name', () => {
  it('include every action a connector can run, so an owner can set a rule for it', () => {
    const actions = CONNECTORS.flatMap((c) => (c.actions ?? []).map((a) => a.id));
    expect(actions.length).toBeGreaterThan(0);
    for (const id of actions) expect(ACTION_KINDS, `connector action ${id}`).toContain(id);
  });

  it('include what the playbooks send, and MCP tools by pattern only', () => {
    expect(isKnownActionKind('sms.send')).toBe(true);
    expect(isKnownActionKind('mcp.crm.create_note')).toBe(true);
    expect(isKnownActionKind('mcp.crm')).toBe(false);
    expect(isKnownActionKind('sms.sned')).toBe(false);
  });
});
