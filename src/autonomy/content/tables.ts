import type { ColumnType } from 'kysely';
import type { IdeaKind } from './ideas.js';
import type { Platform } from './platform-rules.js';
import type { Cta } from './writer.js';

type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** Lifecycle of a `content_posts` row (migration 0032-content; see the README's state diagram). */
export type PostStatus = 'drafted' | 'in_approval' | 'approved' | 'rejected' | 'expired' | 'scheduled' | 'published' | 'failed';

/** Who wrote a post's text. */
export type PostWriter = 'template' | 'model';

/** A post left out of a planned week, and why. */
export interface LeftOutRow {
  ideaId: string;
  platform: Platform;
  reason: string;
}

export interface ContentSourcesTable {
  id: string;
  tenant_id: string;
  name: string;
  title: string;
  format: string;
  body: string;
  sha256: string;
  created_at: TsDefault;
}

export interface ContentIdeasTable {
  id: string;
  tenant_id: string;
  source_id: string;
  seq: number;
  kind: IdeaKind;
  text: string;
  topic: string;
  heading: string;
  passage_start: number;
  passage_end: number;
  score: number;
  keywords: Json<string[]>;
}

export interface ContentWeeksTable {
  id: string;
  tenant_id: string;
  /** Local Monday of the week, `YYYY-MM-DD` (text: a pg `date` would come back as a Date in the server's zone). */
  monday: string;
  time_zone: string;
  posts_planned: number;
  unfilled: ColumnType<number, number | undefined, number>;
  left_out: Json<LeftOutRow[]>;
  requested_by: string;
  created_at: TsDefault;
}

export interface ContentPostsTable {
  id: string;
  tenant_id: string;
  week_id: string;
  idea_id: string;
  platform: Platform;
  slot_at: ColumnType<Date, Date | string, Date | string>;
  text: string;
  hashtags: Json<string[]>;
  link: string | null;
  cta: Json<Cta>;
  image_note: string | null;
  image_required: ColumnType<boolean, boolean | undefined, boolean>;
  /** The image the owner attached (https, public host; migration 0037). */
  image_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who wrote the text: the offline templates or the configured model (0037). */
  writer: ColumnType<PostWriter, PostWriter | undefined, PostWriter>;
  /** Why a model-written post fell back to the template, one line each (0037). */
  notes: ColumnType<string | null, string | null | undefined, string | null>;
  status: ColumnType<PostStatus, PostStatus | undefined, PostStatus>;
  edited: ColumnType<boolean, boolean | undefined, boolean>;
  run_id: string | null;
  reject_reason: string | null;
  decided_by: string | null;
  decided_at: TsNull;
  published_at: TsNull;
  published_url: string | null;
  publish_ref: string | null;
  failure: string | null;
  created_at: TsDefault;
  updated_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    content_sources: ContentSourcesTable;
    content_ideas: ContentIdeasTable;
    content_weeks: ContentWeeksTable;
    content_posts: ContentPostsTable;
  }
}
