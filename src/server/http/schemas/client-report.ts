import { z } from '@hono/zod-openapi';
import { Time } from './common.js';

const Unit = z.enum(['count', 'hours', 'money', 'ratio', 'percent']);

/** One figure of a client report. */
export const ReportFigureSchema = z.object({
  key: z.string().describe('e.g. leads, leads.web, hoursSaved, adSpend, costPerLead'),
  label: z.string(),
  value: z.number().nullable().describe('counts; hours; money in major units of the currency; ROI as a ratio; null: not measured'),
  unit: Unit,
  text: z.string().describe('as the report writes it, e.g. "$1,354.00", "3.5 h", "not recorded"'),
}).openapi('ClientReportFigure');

/** A number of the summary that none of the figures matches. */
export const UncheckedNumberSchema = z.object({
  text: z.string().describe('as written, e.g. "40 hours"'),
  value: z.number(),
  unit: Unit,
  index: z.number().int().describe('offset in the summary, characters'),
}).openapi('ClientReportUncheckedNumber');

/** A client report as the API shows it. */
export const ClientReportSchema = z.object({
  id: z.string(),
  business: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  week: z.string().describe('ISO week, e.g. 2026-W48'),
  weekStart: z.string().describe('its Monday, YYYY-MM-DD'),
  weekEnd: z.string().describe('its Sunday, YYYY-MM-DD'),
  status: z.enum(['pending', 'approved', 'sent', 'not_sent']).describe('pending: waits for the agency\'s approval'),
  summary: z.string(),
  summarySource: z.enum(['template', 'model']),
  unchecked: z.array(UncheckedNumberSchema).describe('numbers of the summary not found in the figures: approving needs an explicit confirmation'),
  figures: z.array(ReportFigureSchema),
  sections: z.array(z.object({ id: z.string(), title: z.string(), lines: z.array(z.string()) })),
  adData: z.boolean().describe('false: no ad export covers the week'),
  approvedBy: z.string().nullable(),
  approvedAt: Time.nullable(),
  emailTo: z.string().nullable(),
  sentAt: Time.nullable(),
  notSentReason: z.string().nullable(),
  createdAt: Time,
}).openapi('ClientReport');

/** One result of a batch approval. */
export const ApproveResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  status: z.string().describe('sent | not_sent | approved (mail to retry) | needs_confirmation | conflict | forbidden'),
  message: z.string().nullable(),
  fix: z.string().nullable(),
}).openapi('ClientReportApproveResult');

/** What an ad export import did. */
export const AdsImportSchema = z.object({
  importId: z.string(),
  business: z.string().describe('slug'),
  platform: z.enum(['google_ads', 'meta_ads']),
  rows: z.number().int().describe('campaign rows read (totals rows excluded)'),
  inserted: z.number().int(),
  replaced: z.number().int().describe('rows that replaced the same campaign and period of an earlier import'),
  totalsSkipped: z.number().int(),
  starts: z.string(),
  ends: z.string(),
  campaigns: z.number().int(),
}).openapi('AdsImport');
