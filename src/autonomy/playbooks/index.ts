import type { Playbook } from '../engine/define-playbook.js';
import { missedCallTextBack, missedCallTextBackV2 } from './missed-call-text-back.js';
import { leadResponse } from './lead-response.js';
import { proposedSms } from './proposed-sms.js';
import { proposedToolCall } from './proposed-tool-call.js';
import { phoneCall } from './phone-call.js';
import { appointment } from './appointment.js';
import { inboundMessage } from './inbound-message.js';
import { ownerReply } from './owner-reply.js';
import { reviewRequest } from './review-request.js';
import { proposal } from './proposal.js';
import { meetingFollowUp } from './meeting-follow-up.js';
import { stalledDealNudge } from './stalled-deal-nudge.js';
import { invoiceChase, invoiceChaseOverdue } from './invoice-chase.js';
import { inboxTriage } from './inbox-triage.js';
import { emailRelabel } from './email-relabel.js';
import { documentRequest } from './document-request.js';
import { contentEngine } from '../content/publish-playbook.js';

/**
 * Every playbook version this build can run. Keep old versions here until their runs have drained:
 * a run is always resumed on the version it started with.
 */
export const ALL_PLAYBOOKS: Playbook[] = [
  missedCallTextBack,
  missedCallTextBackV2,
  leadResponse,
  proposedSms,
  proposedToolCall,
  phoneCall,
  appointment,
  inboundMessage,
  ownerReply,
  reviewRequest,
  proposal,
  meetingFollowUp,
  stalledDealNudge,
  invoiceChase,
  invoiceChaseOverdue,
  inboxTriage,
  emailRelabel,
  documentRequest,
  contentEngine,
] as unknown as Playbook[];
