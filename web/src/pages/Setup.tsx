import { Placeholder } from './Placeholder';

/** The Setup page. */
export default function SetupPage() {
  return <Placeholder title="Setup" />;
}
