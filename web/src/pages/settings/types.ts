/** Shapes of the settings endpoints (until the generated client types them precisely). */
export type Day = [string, string] | 'closed';
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Hours = Record<(typeof DAYS)[number], Day>;
export interface SettingsView {
  business: { name: string; slug: string; timeZone: string };
  policy: { text: string; file: string };
  hours: Hours | null;
  voice: { text: string; file: string };
  canEdit: boolean;
}
export interface Problem { field: string; problem: string }
export interface Refusal { error: string; message: string; fix?: string; problems?: Problem[] }
