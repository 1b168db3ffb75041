import { lazy, Suspense, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useSession } from './session';
import { NAV } from './nav';
import { LoginPage } from './LoginPage';
import TodayPage from './pages/Today';

const pages: Record<string, LazyExoticComponent<ComponentType>> = {
  '/agency': lazy(() => import('./pages/Agency')),
  '/approvals': lazy(() => import('./pages/Approvals')),
  '/conversations': lazy(() => import('./pages/Conversations')),
  '/contacts': lazy(() => import('./pages/Contacts')),
  '/deals': lazy(() => import('./pages/Deals')),
  '/calendar': lazy(() => import('./pages/Calendar')),
  '/invoices': lazy(() => import('./pages/Invoices')),
  '/documents': lazy(() => import('./pages/Documents')),
  '/content': lazy(() => import('./pages/Content')),
  '/signals': lazy(() => import('./pages/Signals')),
  '/runs': lazy(() => import('./pages/Runs')),
  '/ledger': lazy(() => import('./pages/Ledger')),
  '/client-reports': lazy(() => import('./pages/ClientReports')),
  '/audit': lazy(() => import('./pages/Audit')),
  '/knowledge': lazy(() => import('./pages/Knowledge')),
  '/playbooks': lazy(() => import('./pages/Playbooks')),
  '/connections': lazy(() => import('./pages/Connections')),
  '/setup': lazy(() => import('./pages/Setup')),
  '/settings': lazy(() => import('./pages/Settings')),
};

/** `g` then a letter jumps to a page (see `nav.ts`); `?` lists the shortcuts. Ignored while typing. */
function useGoShortcuts(navigate: (to: string) => void, toggleHelp: () => void) {
  useEffect(() => {
    let armed = 0;
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.metaKey || e.ctrlKey || e.altKey || (t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)))) return;
      if (e.key === '?') return toggleHelp();
      if (e.key === 'g') {
        armed = Date.now();
        return;
      }
      if (armed && Date.now() - armed < 1500) {
        const item = NAV.find((n) => n.key === e.key);
        armed = 0;
        if (item) {
          e.preventDefault();
          navigate(item.path);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, toggleHelp]);
}

/** The business the session acts on; a select when the user works for several. `label` names it for screen readers (phone top bar vs sidebar). */
function BusinessSwitcher({ label = 'Business' }: { label?: string }) {
  const { session, switchBusiness } = useSession();
  if (!session || session.businesses.length < 2) return <span className="business-name">{session?.business?.name}</span>;
  return (
    <select aria-label={label} className="business-switch" value={session.business?.tenantId} onChange={(e) => void switchBusiness(e.target.value)}>
      {session.businesses.map((b) => (
        <option key={b.tenantId} value={b.tenantId}>{b.name}</option>
      ))}
    </select>
  );
}

function Shortcuts({ onClose }: { onClose: () => void }) {
  return (
    <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="modal-body">
        <h2>Keyboard shortcuts</h2>
        <ul className="shortcuts">
          {NAV.map((n) => (
            <li key={n.path}><kbd>g</kbd> <kbd>{n.key}</kbd> {n.label}</li>
          ))}
          <li><kbd>?</kbd> this list</li>
        </ul>
      </div>
    </div>
  );
}

/** The dashboard: login, then the navigation (sidebar on desktop, bottom bar on a phone) and the pages. */
export function App() {
  const { session, loading, logout, canAdminister } = useSession();
  const [location, navigate] = useLocation();
  const [help, setHelp] = useState(false);
  const [menu, setMenu] = useState(false);
  useGoShortcuts(navigate, () => setHelp((h) => !h));
  useEffect(() => setMenu(false), [location]);
  if (loading) return <div className="boot">Loading…</div>;
  if (!session) return <LoginPage />;
  const agency = session.businesses.length > 1 || session.businesses.some((b) => b.role === 'implementer');
  const items = NAV.filter((n) => (!n.admin || canAdminister) && (!n.agency || agency));
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">AIOS</span>
        <BusinessSwitcher label="Acting for" />
      </header>
      <aside className={`sidebar ${menu ? 'open' : ''}`}>
        <div className="brand">AIOS</div>
        <BusinessSwitcher />
        <nav aria-label="Pages">
          {items.map((n) => (
            <Link key={n.path} href={n.path} className={location === n.path ? 'active' : ''}>{n.label}</Link>
          ))}
        </nav>
        <div className="sidebar-foot">
          <span>{session.user.name} · {session.business?.role}</span>
          <button type="button" className="btn btn-link" onClick={() => void logout()}>Log out</button>
        </div>
      </aside>
      <main className="main">
        <Suspense fallback={<div className="boot">Loading…</div>}>
          <Switch>
            <Route path="/" component={TodayPage} />
            {Object.entries(pages).map(([path, C]) => (
              <Route key={path} path={path} nest><C /></Route>
            ))}
            <Route><div className="page"><h1>Not found</h1><p><Link href="/">Back to Today</Link></p></div></Route>
          </Switch>
        </Suspense>
      </main>
      <nav className="tabbar" aria-label="Main">
        {NAV.filter((n) => n.phone).map((n) => (
          <Link key={n.path} href={n.path} className={location === n.path ? 'active' : ''}>{n.label}</Link>
        ))}
        <button type="button" className={menu ? 'active' : ''} onClick={() => setMenu((m) => !m)}>More</button>
      </nav>
      {help ? <Shortcuts onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
