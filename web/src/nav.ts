/** One entry of the dashboard's navigation. `key` is the second key of its `g` shortcut (g then key). */
export interface NavItem {
  path: string;
  label: string;
  key: string;
  /** Shown in the phone's bottom bar (the pages where the owner acts). */
  phone?: boolean;
  /** Only for roles that administer (owner, implementer). */
  admin?: boolean;
  /** Only for users with more than one business or an implementer role anywhere. */
  agency?: boolean;
}

/** Every page, in menu order. */
export const NAV: NavItem[] = [
  { path: '/', label: 'Today', key: 't', phone: true },
  { path: '/agency', label: 'Agency', key: 'y', agency: true },
  { path: '/approvals', label: 'Approvals', key: 'a', phone: true },
  { path: '/conversations', label: 'Inbox', key: 'i', phone: true },
  { path: '/contacts', label: 'Contacts', key: 'c' },
  { path: '/deals', label: 'Deals', key: 'd' },
  { path: '/calendar', label: 'Calendar', key: 'k' },
  { path: '/invoices', label: 'Invoices', key: 'v' },
  { path: '/documents', label: 'Documents', key: 'f' },
  { path: '/content', label: 'Content', key: 'm' },
  { path: '/signals', label: 'Signals', key: 's' },
  { path: '/runs', label: 'Runs', key: 'r' },
  { path: '/ledger', label: 'Ledger & ROI', key: 'l' },
  { path: '/client-reports', label: 'Client reports', key: 'b', admin: true },
  { path: '/audit', label: 'Audit', key: 'u' },
  { path: '/knowledge', label: 'Knowledge', key: 'n' },
  { path: '/playbooks', label: 'Playbooks', key: 'p' },
  { path: '/connections', label: 'Connections', key: 'o' },
  { path: '/setup', label: 'Set up', key: 'w', admin: true },
  { path: '/settings', label: 'Settings', key: 'e' },
];
