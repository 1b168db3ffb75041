import { Placeholder } from './Placeholder';

/** The Calendar page. */
export default function CalendarPage() {
  return <Placeholder title="Calendar" />;
}
