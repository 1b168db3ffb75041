import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { TenantInfo } from '../records/tenants.js';
import { upsertTenant } from '../records/tenants.js';
import { audit } from '../records/audit.js';
import type { Policy } from '../autonomy/policy/policy-schema.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { raiseConfigInvalid, resolveConfigInvalid } from '../awareness/config-signal.js';
import { ConfigError, InputError } from '../core/errors.js';
import { readTenantTexts, validateTenantFolder, type ValidTenantFolder } from './tenant-folder.js';

/** What {@link TenantRegistry.reload} did. */
export type ReloadResult =
  | { status: 'reloaded'; slug: string }
  /** The files are byte-for-byte what was last loaded or refused. */
  | { status: 'unchanged'; slug: string }
  /** The files do not validate; the last good version stays in force. */
  | { status: 'invalid'; slug: string; error: ConfigError };

/** Options of {@link TenantRegistry.load}. */
export interface RegistryOptions {
  /** Where reload problems are logged; default: nowhere. */
  log?: Logger;
}

/**
 * The tenants of this install, loaded from `AIOS_HOME/tenants/<slug>/{tenant,policy}.yaml`.
 * Every file is validated at start; the first problem stops start-up naming file and field.
 * While running, {@link reload} re-reads one tenant's files and swaps the validated result in
 * (`get`, `policy`, `byNumber` are read at decision time, so the next decision sees it).
 */
export class TenantRegistry {
  private readonly byId = new Map<string, TenantInfo>();
  private readonly bySlug = new Map<string, TenantInfo>();
  private readonly byPhone = new Map<string, TenantInfo>();
  private readonly policies = new Map<string, Policy>();
  /** slug → hash of the files last loaded or refused. */
  private readonly lastHash = new Map<string, { hash: string; error: ConfigError | null }>();
  /** slug → the reload in progress (reloads of one tenant never overlap). */
  private readonly pending = new Map<string, Promise<ReloadResult>>();
  /** Called after {@link add} installed a new business (knowledge, CLI token, owner login, watchers). */
  private readonly added: Array<(t: TenantInfo) => Promise<void>> = [];

  private constructor(
    private readonly db: Db,
    private readonly tenantsDir: string,
    private readonly playbooks: Playbook[],
    private readonly log: Logger | undefined,
  ) {}

  /** Reads and validates every tenant folder, then upserts the tenants into the database. */
  static async load(db: Db, tenantsDir: string, playbooks: Playbook[], opts: RegistryOptions = {}): Promise<TenantRegistry> {
    const reg = new TenantRegistry(db, tenantsDir, playbooks, opts.log);
    if (!existsSync(tenantsDir)) return reg;
    const slugs = readdirSync(tenantsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    for (const slug of slugs) {
      const dir = join(tenantsDir, slug);
      if (!existsSync(join(dir, 'tenant.yaml'))) continue;
      const texts = readTenantTexts(dir);
      const folder = validateTenantFolder(slug, texts, playbooks);
      reg.checkPhone(slug, folder, texts.tenantPath);
      await reg.install(slug, dir, folder);
      reg.lastHash.set(slug, { hash: texts.hash, error: null });
    }
    return reg;
  }

  /**
   * Re-reads `<slug>/tenant.yaml` and `policy.yaml` and validates them exactly as at start. Valid:
   * the tenant (profile, owner, playbook settings, phone routing) and its policy are swapped in, the
   * database row updated, an audit entry `config.reloaded` written and open `config_invalid`
   * signals resolved. Invalid: nothing changes; the problem is logged and raised as a
   * `config_invalid` signal (once per file content). Calls for one tenant run one after another.
   * @throws InputError when no tenant with this slug is loaded (a folder written by hand needs a restart; the agency console loads its own with {@link add}).
   */
  reload(slug: string): Promise<ReloadResult> {
    const prev = this.pending.get(slug) ?? Promise.resolve(null);
    const next = prev.catch(() => null).then(() => this.reloadNow(slug));
    this.pending.set(slug, next);
    void next.finally(() => this.pending.get(slug) === next && this.pending.delete(slug)).catch(() => undefined);
    return next;
  }

  private async reloadNow(slug: string): Promise<ReloadResult> {
    const current = this.bySlug.get(slug);
    if (!current) throw new InputError(`no business "${slug}" was loaded at start`, { status: 404, fix: 'Restart AIOS to add a business folder written by hand, or create it with `aios business create`.' });
    const texts = readTenantTexts(current.dir);
    const last = this.lastHash.get(slug);
    if (last?.hash === texts.hash) return last.error ? { status: 'invalid', slug, error: last.error } : { status: 'unchanged', slug };
    try {
      const folder = validateTenantFolder(slug, texts, this.playbooks);
      this.checkPhone(slug, folder, texts.tenantPath);
      await this.install(slug, current.dir, folder);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      this.lastHash.set(slug, { hash: texts.hash, error: err });
      this.log?.warn({ tenant: slug, file: err.file, field: err.field, problem: err.problem }, `${err.message}; keeping the last valid version`);
      await raiseConfigInvalid(this.db, current.id, err, texts.fileHash[err.file] ?? '');
      return { status: 'invalid', slug, error: err };
    }
    this.lastHash.set(slug, { hash: texts.hash, error: null });
    await audit(this.db, current.id, 'aios', 'config.reloaded', slug, { files: [texts.tenantPath, texts.policyPath] });
    await resolveConfigInvalid(this.db, current.id);
    this.log?.info({ tenant: slug }, 'tenant and policy files reloaded');
    return { status: 'reloaded', slug };
  }

  /**
   * Loads a business folder created while AIOS runs (`<tenantsDir>/<slug>`), validated exactly as at
   * start, writes its tenants row and swaps it in. The caller then calls {@link announceAdded}
   * (or {@link forget} to undo).
   * @throws ConfigError naming file and field (nothing is installed), InputError 409 when the slug is loaded.
   */
  async add(slug: string): Promise<TenantInfo> {
    if (this.bySlug.has(slug)) throw new InputError(`the business "${slug}" is already loaded`, { status: 409, code: 'conflict', fix: 'Pick another short name (slug).' });
    const dir = join(this.tenantsDir, slug);
    const texts = readTenantTexts(dir);
    const folder = validateTenantFolder(slug, texts, this.playbooks);
    this.checkPhone(slug, folder, texts.tenantPath);
    await this.install(slug, dir, folder);
    this.lastHash.set(slug, { hash: texts.hash, error: null });
    this.log?.info({ tenant: slug }, 'new business loaded');
    return this.bySlug.get(slug)!;
  }

  /**
   * Runs the {@link onAdded} listeners for a business {@link add} loaded (knowledge index, CLI token,
   * owner login, config watch). A listener that fails is logged: the business stays created.
   */
  async announceAdded(t: TenantInfo): Promise<void> {
    for (const fn of this.added) {
      await fn(t).catch((err: unknown) => this.log?.warn({ err, tenant: t.slug }, 'setting up the new business partly failed; restart AIOS to finish it'));
    }
  }

  /** Forgets a business {@link add} installed whose creation was then undone (its row is the caller's). */
  forget(slug: string): void {
    const t = this.bySlug.get(slug);
    if (!t) return;
    this.bySlug.delete(slug);
    this.byId.delete(t.id);
    if (this.byPhone.get(t.phone) === t) this.byPhone.delete(t.phone);
    this.policies.delete(t.id);
    this.lastHash.delete(slug);
  }

  /** Registers what to do for each business {@link add} loads (runs in registration order). */
  onAdded(fn: (t: TenantInfo) => Promise<void>): void {
    this.added.push(fn);
  }

  /** Each business needs its own number: webhooks are routed by it. */
  private checkPhone(slug: string, folder: ValidTenantFolder, tenantPath: string): void {
    const clash = this.byPhone.get(folder.file.phone);
    if (clash && clash.slug !== slug) throw new ConfigError(tenantPath, 'phone', `${folder.file.phone} is also the number of tenant "${clash.slug}"`, 'Each business needs its own number: webhooks are routed by it.');
  }

  /** Writes the tenant row and swaps the maps in (new objects: a run holding the old info keeps it). */
  private async install(slug: string, dir: string, folder: ValidTenantFolder): Promise<void> {
    const { file, settings, policy } = folder;
    const id = await upsertTenant(this.db, file);
    const info: TenantInfo = {
      id, slug, name: file.name, timeZone: file.time_zone, locale: file.locale, currency: file.currency, phone: file.phone,
      owner: file.owner, profile: file.profile, booking: file.booking, voice: file.voice, watchers: file.watchers, holidays: file.holidays, brief: file.brief, roi: file.roi, playbookSettings: settings, dir,
    };
    const old = this.bySlug.get(slug);
    if (old && old.phone !== info.phone && this.byPhone.get(old.phone) === old) this.byPhone.delete(old.phone);
    this.byId.set(id, info);
    this.bySlug.set(slug, info);
    this.byPhone.set(file.phone, info);
    this.policies.set(id, policy);
  }

  /** The tenant with this id; throws when unknown (a bug: ids come from the database). */
  get(id: string): TenantInfo {
    const t = this.byId.get(id);
    if (!t) throw new Error(`tenant ${id} is not loaded`);
    return t;
  }

  /** The tenant whose business number is `phone`, for routing inbound webhooks. */
  byNumber(phone: string): TenantInfo | undefined {
    return this.byPhone.get(phone);
  }

  /**
   * The tenant with this slug; InputError (404) when unknown. Public routes call this, so the error
   * names neither the other tenants of the install nor any path.
   */
  bySlugOrThrow(slug: string): TenantInfo {
    const t = this.bySlug.get(slug);
    if (!t) throw new InputError(`no business "${slug.slice(0, 80)}" on this server`, { status: 404, fix: 'Check the business name in the URL: it is the folder name of the business under AIOS_HOME/tenants.' });
    return t;
  }

  /** The tenant's policy as last loaded (read at each decision, so a reload is seen by the next one). */
  policy(id: string): Policy {
    const p = this.policies.get(id);
    if (!p) throw new Error(`no policy loaded for tenant ${id}`);
    return p;
  }

  all(): TenantInfo[] {
    return [...this.byId.values()];
  }

  /** How many businesses this instance serves now (no copy of the list). */
  count(): number {
    return this.byId.size;
  }

  /** Folder holding the tenant folders (`AIOS_HOME/tenants`). */
  get dir(): string {
    return this.tenantsDir;
  }
}
