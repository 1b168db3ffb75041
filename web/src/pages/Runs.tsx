import { Placeholder } from './Placeholder';

/** The Runs page. */
export default function RunsPage() {
  return <Placeholder title="Runs" />;
}
