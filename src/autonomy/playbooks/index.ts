import type { Playbook } from '../engine/define-playbook.js';
import { missedCallTextBack, missedCallTextBackV2 } from './missed-call-text-back.js';
import { leadResponse } from './lead-response.js';
import { proposedSms } from './proposed-sms.js';
import { proposedToolCall } from './proposed-tool-call.js';

/**
 * Every playbook version this build can run. Keep old versions here until their runs have drained:
 * a run is always resumed on the version it started with.
 */
export const ALL_PLAYBOOKS: Playbook[] = [missedCallTextBack as unknown as Playbook, missedCallTextBackV2 as unknown as Playbook, leadResponse as unknown as Playbook, proposedSms as unknown as Playbook, proposedToolCall as unknown as Playbook];
