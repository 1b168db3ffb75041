import { Placeholder } from './Placeholder';

/** The Knowledge page. */
export default function KnowledgePage() {
  return <Placeholder title="Knowledge" />;
}
