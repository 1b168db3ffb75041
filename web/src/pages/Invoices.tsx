import { Placeholder } from './Placeholder';

/** The Invoices page. */
export default function InvoicesPage() {
  return <Placeholder title="Invoices" />;
}
