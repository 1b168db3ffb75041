import { Placeholder } from './Placeholder';

/** The Today page. */
export default function TodayPage() {
  return <Placeholder title="Today" />;
}
