import { Placeholder } from './Placeholder';

/** The Contacts page. */
export default function ContactsPage() {
  return <Placeholder title="Contacts" />;
}
