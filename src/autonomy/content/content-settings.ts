import { z } from 'zod';
import { PLATFORMS } from './platform-rules.js';
import { DEFAULT_POSTS_PER_WEEK } from './week-planner.js';

const Platform = z.enum(PLATFORMS);

/** How one platform's approved posts leave: a signed webhook, an MCP tool, or the Buffer export. */
const Publisher = z.union([
  z.object({ webhook: z.string().min(1).max(100).describe('name of a publish-webhook connection') }).strict(),
  z.object({ mcp: z.object({ connection: z.string().min(1).max(100), tool: z.string().min(1).max(100) }).strict() }).strict(),
  z.object({ export: z.literal(true).describe('left scheduled for `aios content export --buffer`') }).strict(),
]);

/**
 * Settings under `playbooks.content-engine` in tenant.yaml. `audience_time_zone` defaults to the
 * business's `time_zone`; `link` to the booking link, else the website; platforms without a
 * `publish` entry are exported (Buffer CSV) rather than published.
 */
export const ContentSettings = z.object({
  enabled: z.boolean().default(true),
  posts_per_week: z.number().int().min(1).max(100).default(DEFAULT_POSTS_PER_WEEK),
  platforms: z.array(Platform).min(1).default([...PLATFORMS]),
  audience_time_zone: z.string().min(1).optional(),
  hashtags: z.array(z.string().regex(/^[\p{L}\p{N}_]{2,30}$/u, 'a hashtag without "#": letters, digits and _')).max(5).default([]),
  link: z.string().url().optional(),
  idea_gap_hours: z.number().min(0).max(168).default(24),
  platform_gap_hours: z.number().min(0).max(48).default(3),
  publish: z.partialRecord(Platform, Publisher).default({}),
}).strict();
export type ContentSettingsT = z.infer<typeof ContentSettings>;

/** The settings in force: the tenant's, defaults filled in. */
export function contentSettings(raw: unknown): ContentSettingsT {
  return ContentSettings.parse(raw ?? {});
}
