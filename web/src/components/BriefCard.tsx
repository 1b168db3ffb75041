/** The owner's daily brief on the Today page (filled in by the brief work: `GET /api/v1/brief`). */
export function BriefCard() {
  return null;
}
