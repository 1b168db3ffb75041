import { Placeholder } from './Placeholder';

/** The Ledger page. */
export default function LedgerPage() {
  return <Placeholder title="Ledger" />;
}
