import type { ColumnType } from 'kysely';
import type { SignatureSeen, UnreadableFile } from '../../knowledge/documents/index.js';
import type { ExceptionKind, ExceptionStatus, QcEvidence } from './exceptions.js';

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** Package states, in order (README state diagram). */
export type PackageStatus = 'received' | 'read' | 'checked' | 'exceptions_open' | 'ready' | 'submitted';

/** Row shape of `docqc_packages` (migration 0031-document-qc). */
export interface DocqcPackagesTable {
  id: string;
  tenant_id: string;
  name: string;
  checklist_id: string;
  borrowers: Json<string[]>;
  /** The client's address for document requests (outside: every mail to it waits for approval). */
  client_email: string | null;
  /** `YYYY-MM-DD` freshness is measured to. */
  as_of: ColumnType<string, string, string>;
  status: ColumnType<PackageStatus, PackageStatus | undefined, PackageStatus>;
  /** Whether the first check found no exception; null until checked. */
  first_check_clean: boolean | null;
  created_by: string;
  created_at: Ts;
  checked_at: TsNull;
  submitted_at: TsNull;
}

/** Row shape of `docqc_documents`. */
export interface DocqcDocumentsTable {
  id: string;
  tenant_id: string;
  package_id: string;
  file: string;
  pages: number[];
  type: string;
  blank: boolean;
  signed: boolean | null;
  /** Signature places looked at (migration 0036). */
  signatures: Json<SignatureSeen[]>;
  fields: Json<Record<string, { value: string; page: number; seen: string }>>;
  source: string;
}

/** Row shape of `docqc_pages`. */
export interface DocqcPagesTable {
  tenant_id: string;
  package_id: string;
  file: string;
  page: number;
  source: 'text' | 'ocr' | 'none';
  ocr_confidence: number | null;
  problem: string | null;
  /** Page 0 (a whole file unreadable): encrypted, corrupt, unsupported, too-small or unreadable (0036). */
  reason: ColumnType<UnreadableFile['reason'] | null, UnreadableFile['reason'] | null | undefined, UnreadableFile['reason'] | null>;
  text: string;
}

/** Row shape of `docqc_files` (migration 0036): each uploaded file's bytes, to open its pages. */
export interface DocqcFilesTable {
  tenant_id: string;
  package_id: string;
  file: string;
  content_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  size_bytes: number;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
  bytes: Buffer;
  created_at: Ts;
}

/** Row shape of `docqc_exceptions`. */
export interface DocqcExceptionsTable {
  id: string;
  /** Order found in (identity). */
  seq: ColumnType<string, never, never>;
  tenant_id: string;
  package_id: string;
  key: string;
  kind: ExceptionKind;
  item: string | null;
  message: string;
  evidence: Json<QcEvidence[]>;
  status: ColumnType<ExceptionStatus, ExceptionStatus | undefined, ExceptionStatus>;
  /** Waiver reason, resolution note or what was requested. */
  note: string | null;
  /** The `document_requested` signal of a request (its run drafts the email for approval). */
  signal_id: string | null;
  decided_by: string | null;
  decided_at: TsNull;
  created_at: Ts;
}

declare module '../../store/schema.js' {
  interface Database {
    docqc_packages: DocqcPackagesTable;
    docqc_documents: DocqcDocumentsTable;
    docqc_pages: DocqcPagesTable;
    docqc_exceptions: DocqcExceptionsTable;
    docqc_files: DocqcFilesTable;
  }
}
