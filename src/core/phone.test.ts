import { describe, it, expect } from 'vitest';
import { countryOfLocale, countryOfPhone, normalisePhone } from './phone.js';
import { tenantCountry } from '../records/tenant-file.js';

describe('normalisePhone', () => {
  it('one number written five ways is one E.164 number', () => {
    const ways = ['416-555-0100', '(416) 555-0100', '416.555.0100 x12', '1-416-555-0100', '+1 416 555 0100'];
    expect(new Set(ways.map((w) => normalisePhone(w, 'CA')))).toEqual(new Set(['+14165550100']));
  });

  it('reads national numbers in the business country, international ones as written', () => {
    expect(normalisePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalisePhone('0044 20 7946 0958', 'CA')).toBe('+442079460958');
    expect(normalisePhone('416 555 0177', 'GB')).toBeNull();
    expect(normalisePhone('call me', 'CA')).toBeNull();
    expect(normalisePhone('12345', 'CA')).toBeNull();
  });

  it('the country comes from the business number or the locale', () => {
    expect(countryOfPhone('+442079460958')).toBe('GB');
    expect(countryOfLocale('en-US')).toBe('US');
    expect(tenantCountry({ locale: 'en-GB' })).toBe('GB');
    expect(tenantCountry({ country: 'US', locale: 'en-CA' })).toBe('US');
    expect(tenantCountry({})).toBe('CA');
  });
});
