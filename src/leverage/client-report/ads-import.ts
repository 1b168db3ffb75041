import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { InputError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { parseAdsExport, type AdPlatform } from './ads-formats.js';
import './tables.js';

/** Largest export accepted, bytes (5 MiB: a year of daily rows for a few hundred campaigns). */
export const ADS_MAX_BYTES = 5 * 1024 * 1024;

/** What an import did. */
export interface AdsImportResult {
  importId: string;
  platform: AdPlatform;
  /** Campaign rows read (totals rows excluded). */
  rows: number;
  /** Rows new to the business / rows that replaced the same campaign and period of an earlier import. */
  inserted: number;
  replaced: number;
  totalsSkipped: number;
  /** First and last day covered. */
  starts: string;
  ends: string;
  campaigns: number;
}

/**
 * Imports a Google Ads or Meta Ads CSV export for one business: all rows in one transaction
 * (a bad file writes nothing), each row keyed by platform, campaign and period so a re-import
 * replaces the same rows instead of adding to them. Amounts must be in the business's currency
 * (AIOS does not convert).
 * @throws InputError (line, column, what to do) for a bad file or another currency.
 */
export async function importAdsExport(db: Db, tenant: Pick<TenantInfo, 'id' | 'currency'>, file: { name: string; bytes: Uint8Array }, actor: string, now: Date): Promise<AdsImportResult> {
  if (file.bytes.byteLength > ADS_MAX_BYTES) throw new InputError(`the file is over ${ADS_MAX_BYTES / 1024 / 1024} MiB`, { status: 413, code: 'too_large', fix: 'Export a shorter date range (a few months) and import each file.' });
  const parsed = parseAdsExport(file.bytes, tenant.currency);
  const foreign = parsed.rows.find((r) => r.currency !== tenant.currency.toUpperCase());
  if (foreign) {
    throw new InputError(`line ${foreign.line}: the amounts are in ${foreign.currency}, the business bills in ${tenant.currency.toUpperCase()}; nothing was imported`, {
      code: 'ads_currency', fix: `AIOS does not convert currencies: export the report from an ad account in ${tenant.currency.toUpperCase()}, or set currency in tenant.yaml if that is wrong.`,
    });
  }
  const seen = new Map<string, number>();
  for (const r of parsed.rows) {
    const key = `${r.campaign}\u0000${r.starts}\u0000${r.ends}`;
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(`line ${r.line}, column "Campaign": "${r.campaign}" for ${r.starts}..${r.ends} is already on line ${first}; nothing was imported`, { code: 'ads_bad_rows', fix: 'Export without a second breakdown (device, network, placement), or remove the repeated row.' });
    seen.set(key, r.line);
  }
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  return db.transaction().execute(async (trx) => {
    const importId = newId('adi');
    await trx.insertInto('ad_imports').values({ id: importId, tenant_id: tenant.id, platform: parsed.platform, file_name: file.name.slice(0, 200), sha256, rows: parsed.rows.length, created_by: actor, created_at: now }).execute();
    let inserted = 0;
    for (let i = 0; i < parsed.rows.length; i += 500) {
      const batch = parsed.rows.slice(i, i + 500);
      const res = await trx.insertInto('ad_metrics')
        .values(batch.map((r) => ({
          tenant_id: tenant.id, platform: parsed.platform, campaign: r.campaign, starts: r.starts, ends: r.ends, impressions: r.impressions, clicks: r.clicks,
          cost_cents: r.costCents, conversions: r.conversions, result_indicator: r.resultIndicator, currency: r.currency, import_id: importId, updated_at: now,
        })))
        .onConflict((oc) => oc.columns(['tenant_id', 'platform', 'campaign', 'starts', 'ends']).doUpdateSet((eb) => ({
          impressions: eb.ref('excluded.impressions'), clicks: eb.ref('excluded.clicks'), cost_cents: eb.ref('excluded.cost_cents'), conversions: eb.ref('excluded.conversions'),
          result_indicator: eb.ref('excluded.result_indicator'), currency: eb.ref('excluded.currency'), import_id: eb.ref('excluded.import_id'), updated_at: eb.ref('excluded.updated_at'),
        })))
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .execute();
      inserted += res.filter((r) => r.inserted).length;
    }
    const days = parsed.rows.flatMap((r) => [r.starts, r.ends]).sort();
    return {
      importId, platform: parsed.platform, rows: parsed.rows.length, inserted, replaced: parsed.rows.length - inserted, totalsSkipped: parsed.totalsSkipped,
      starts: days[0]!, ends: days[days.length - 1]!, campaigns: new Set(parsed.rows.map((r) => r.campaign)).size,
    };
  });
}
