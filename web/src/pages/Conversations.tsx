import { Placeholder } from './Placeholder';

/** The Conversations page. */
export default function ConversationsPage() {
  return <Placeholder title="Conversations" />;
}
