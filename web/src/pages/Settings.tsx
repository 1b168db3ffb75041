import { Page, ErrorBox, Empty, useLoad } from '../ui';
import { useSession } from '../session';
import { call } from '../api/admin';
import type { SettingsView } from './settings/types';
import { PolicyCard } from './settings/PolicyCard';
import { HoursCard } from './settings/HoursCard';
import { VoiceCard } from './settings/VoiceCard';
import { UsersCard } from './settings/UsersCard';
import { TokensCard } from './settings/TokensCard';
import { PasswordCard } from './settings/PasswordCard';
import '../admin.css';

/**
 * Settings: policy, business hours, voice, people and tokens, your password. Staff see them but
 * the controls are disabled with a note (the server refuses them too: admin scope).
 */
export default function SettingsPage() {
  const { session } = useSession();
  const view = useLoad(() => call<SettingsView>('GET', '/api/v1/settings'), [session?.business?.tenantId]);
  const canEdit = view.data?.canEdit ?? false;
  return (
    <Page title="Settings">
      <ErrorBox error={view.error} />
      {!view.data ? (view.loading ? <Empty>Loading…</Empty> : null) : (
        <>
          <HoursCard hours={view.data.hours} timeZone={view.data.business.timeZone} canEdit={canEdit} onSaved={view.reload} />
          <PolicyCard text={view.data.policy.text} canEdit={canEdit} onSaved={view.reload} />
          <VoiceCard text={view.data.voice.text} canEdit={canEdit} onSaved={view.reload} />
          <UsersCard canEdit={canEdit} isOwner={session?.business?.role === 'owner'} myId={session?.user.id ?? ''} />
          <TokensCard canEdit={canEdit} />
        </>
      )}
      <PasswordCard />
    </Page>
  );
}
