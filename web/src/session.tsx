import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { postJson, setCsrfToken, setLoggedOutHandler } from './api/client';

/** A business the logged-in user works for, with their role there. */
export interface Business {
  tenantId: string;
  slug: string;
  name: string;
  role: 'owner' | 'staff' | 'implementer';
}

/** What `/auth/session` and `/auth/login` answer. */
export interface SessionInfo {
  user: { id: string; name: string; email: string | null };
  business: Business | null;
  businesses: Business[];
  csrf: string;
}

interface SessionState {
  session: SessionInfo | null;
  loading: boolean;
  login(email: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  switchBusiness(tenantId: string): Promise<void>;
  /** True when the user's role may change policy and settings (owners; implementers set up). */
  canAdminister: boolean;
  canDecide: boolean;
}

const Ctx = createContext<SessionState | null>(null);

/** Holds the login: reads `/auth/session` at start, logs in and out, switches business. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const adopt = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrf ?? '');
    setSession(s);
  }, []);
  useEffect(() => {
    setLoggedOutHandler(() => adopt(null));
    fetch('/auth/session', { credentials: 'same-origin' })
      .then(async (r) => (r.ok ? adopt((await r.json()) as SessionInfo) : adopt(null)))
      .catch(() => adopt(null))
      .finally(() => setLoading(false));
  }, [adopt]);
  const login = useCallback(async (email: string, password: string) => {
    const r = await postJson<SessionInfo>('/auth/login', { email, password });
    if (r.ok) {
      adopt(r.data);
      return null;
    }
    return r.error.message ? r.error.message.charAt(0).toUpperCase() + r.error.message.slice(1) + '.' : 'Login failed.';
  }, [adopt]);
  const logout = useCallback(async () => {
    await postJson('/auth/logout', {});
    adopt(null);
  }, [adopt]);
  const switchBusiness = useCallback(async (tenantId: string) => {
    const r = await postJson<SessionInfo>('/auth/switch', { tenantId });
    if (r.ok) {
      adopt(r.data);
      window.location.assign('/');
    }
  }, [adopt]);
  const role = session?.business?.role;
  return (
    <Ctx.Provider value={{ session, loading, login, logout, switchBusiness, canAdminister: role === 'owner' || role === 'implementer', canDecide: role === 'owner' || role === 'staff' }}>
      {children}
    </Ctx.Provider>
  );
}

/** The session state; only inside {@link SessionProvider}. */
export function useSession(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
