import type { Watcher } from './watcher.js';
import { emailUnansweredWatcher } from './email-unanswered-watcher.js';
import { dealStalledWatcher } from './deal-stalled-watcher.js';
import { invoiceWatcher } from './invoice-watcher.js';
import { meetingEndedWatcher, meetingFollowUpWatcher } from './meeting-watchers.js';
import { knowledgeExpiringWatcher } from './knowledge-expiring-watcher.js';

/** The back-office watchers the scheduler runs for every business (src/server/watch-schedule.ts). */
export const BACK_OFFICE_WATCHERS: readonly Watcher[] = [emailUnansweredWatcher, dealStalledWatcher, invoiceWatcher, meetingEndedWatcher, meetingFollowUpWatcher, knowledgeExpiringWatcher];
