import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeMailboxLabel } from '../actions/propose-mailbox-label.js';
import { EMAIL_RELABELLED, type EmailRelabelledData } from '../../awareness/back-office-signals.js';
import { categoryLabel, isTriageCategory, TRIAGE_CATEGORIES } from '../../awareness/email-triage/categories.js';
import { InboxTriageSettings } from './inbox-triage.js';

/**
 * The owner relabelled a mail (`email_relabelled`): its mailbox label follows — the new
 * `AIOS/<Category>` on, the other AIOS labels off (or a move to the new folder) — through the
 * policy (`email.label`) and the `mailbox` outbox channel. Reads `playbooks.inbox-triage.label_mode`.
 * Steps: label.*.
 */
export const emailRelabel = definePlaybook({
  id: 'email-relabel',
  version: 1,
  title: "Move a mail's label after the owner's correction",
  trigger: { signal: EMAIL_RELABELLED },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(),
  minutesPerRun: 0.5,
  async run(ctx, input) {
    const d = input.data as unknown as EmailRelabelledData;
    if (!isTriageCategory(d.category)) return { summary: `skipped: unknown category ${String(d.category)}`, resolved: true };
    if (!d.connectionId || !d.messageId) return { summary: 'relabelled in AIOS only (no mail connection or Message-ID)', resolved: true };
    const mode = InboxTriageSettings.parse(ctx.tenant.playbookSettings['inbox-triage'] ?? {}).label_mode;
    const r = await proposeMailboxLabel(ctx, 'label', {
      connectionId: d.connectionId, messageId: d.messageId, label: categoryLabel(d.category), mode,
      remove: TRIAGE_CATEGORIES.filter((c) => c !== d.category).map(categoryLabel), sender: d.from,
      // A mail moved to the old category's folder is found there.
      ...(mode === 'folder' && isTriageCategory(d.previous) ? { mailbox: categoryLabel(d.previous) } : {}),
    });
    return { summary: r.status === 'done' ? `mailbox label now ${categoryLabel(d.category)}` : `mailbox label ${r.status}`, resolved: true };
  },
});
