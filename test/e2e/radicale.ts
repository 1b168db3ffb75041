import { makeCalendar } from 'tsdav';
import { davFetch } from '../../src/connection/calendar/dav-http.js';
import { SERVICES } from './services.js';

/** Radicale's root URL (started by `scripts/test-services.sh up`; user `test`, password `test`). */
export const SERVER = SERVICES.radicale.url;

/** Creates a fresh calendar collection for the test user and returns its URL. */
export async function makeTestCalendar(name: string): Promise<string> {
  const url = `${SERVER}test/${name}/`;
  const f = davFetch({ username: 'test', password: 'test' });
  const res = await makeCalendar({
    url,
    props: { 'd:displayname': name, 'c:supported-calendar-component-set': { 'c:comp': { _attributes: { name: 'VEVENT' } } } },
    fetch: f,
  });
  if (res[0] && !res[0].ok) throw new Error(`MKCALENDAR ${url} failed: ${res[0].status}`);
  return url;
}

