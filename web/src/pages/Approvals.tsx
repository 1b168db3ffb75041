import { Placeholder } from './Placeholder';

/** The Approvals page. */
export default function ApprovalsPage() {
  return <Placeholder title="Approvals" />;
}
