import { Placeholder } from './Placeholder';

/** The Deals page. */
export default function DealsPage() {
  return <Placeholder title="Deals" />;
}
