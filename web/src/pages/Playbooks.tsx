import { Placeholder } from './Placeholder';

/** The Playbooks page. */
export default function PlaybooksPage() {
  return <Placeholder title="Playbooks" />;
}
