/**
 * Phone numbers, normalised the same way everywhere (tenant.yaml, CSV imports, web forms, API
 * proposals, `aios simulate`): any usual way of writing a number becomes E.164 (`+14165550100`).
 * Parsing and validation are libphonenumber-js's; a number written without `+` is read in the
 * business's country.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { AiosError } from './errors.js';

/** Country used when nothing else says which: AIOS's first businesses are Canadian (`en-CA`). */
export const FALLBACK_COUNTRY = 'CA';

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/**
 * Normalises a phone number to E.164.
 * - `+` and the country code, or `00` and the country code: any number that is possible there;
 * - without them: a valid number of `defaultCountry` (`416-555-0100`, `(416) 555-0100`, `1-416-555-0100`);
 * - extensions (`x12`, `ext. 12`) are dropped; letters (other than an extension) are refused.
 * @param raw the number as written.
 * @param defaultCountry ISO 3166-1 alpha-2 code of the business's country (e.g. `CA`, `US`, `GB`).
 * @returns the E.164 form, or null when it is not a phone number.
 */
export function normalisePhone(raw: string, defaultCountry: string = FALLBACK_COUNTRY): string | null {
  const withoutExt = raw.trim().replace(/\s*(?:x|ext\.?|extension)\s*\d+$/i, '');
  if (!withoutExt || /[a-z]/i.test(withoutExt)) return null;
  const intl = withoutExt.replace(/^00(?=[1-9])/, '+').replace(/^\(?\+/, '+');
  const country = (defaultCountry.toUpperCase() as CountryCode);
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(intl, country);
  } catch {
    return null;
  }
  if (!parsed || !E164_SHAPE.test(parsed.number)) return null;
  const explicit = intl.startsWith('+');
  if (explicit ? !parsed.isPossible() : !parsed.isValid()) return null;
  return parsed.number;
}

/**
 * The country of an E.164 number (e.g. the business's own number), for reading other numbers.
 * @returns an ISO 3166-1 alpha-2 code, or undefined when the number does not name one.
 */
export function countryOfPhone(e164: string | null | undefined): string | undefined {
  if (!e164) return undefined;
  try {
    return parsePhoneNumberFromString(e164)?.country;
  } catch {
    return undefined;
  }
}

/**
 * The region of a BCP 47 locale (`en-CA` → `CA`), the default for the business's country.
 * @returns an ISO 3166-1 alpha-2 code, or undefined when the locale names no region.
 */
export function countryOfLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  try {
    const region = new Intl.Locale(locale).region;
    return region && /^[A-Z]{2}$/.test(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

/** A phone number that cannot be made E.164. `fix` says how to write it. */
export class PhoneError extends AiosError {
  constructor(field: string, raw: string, defaultCountry: string) {
    super('bad_phone', `${field}: "${raw}" is not a phone number (read in country ${defaultCountry})`, {
      fix: `Write it with its country code, such as +14165550100, or as a national number of ${defaultCountry} (e.g. 416-555-0100 in CA or US).`,
    });
  }
}
