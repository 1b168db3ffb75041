import { Placeholder } from './Placeholder';

/** The Connections page. */
export default function ConnectionsPage() {
  return <Placeholder title="Connections" />;
}
