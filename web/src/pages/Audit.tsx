import { Placeholder } from './Placeholder';

/** The Audit page. */
export default function AuditPage() {
  return <Placeholder title="Audit" />;
}
