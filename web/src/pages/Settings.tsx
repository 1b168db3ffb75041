import { Placeholder } from './Placeholder';

/** The Settings page. */
export default function SettingsPage() {
  return <Placeholder title="Settings" />;
}
