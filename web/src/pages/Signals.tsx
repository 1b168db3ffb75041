import { Placeholder } from './Placeholder';

/** The Signals page. */
export default function SignalsPage() {
  return <Placeholder title="Signals" />;
}
