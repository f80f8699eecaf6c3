/** Periods of a learning day, kept beside the day so both engines group by a plain column. */

/** The Monday (UTC) of the ISO week of `day` (YYYY-MM-DD), as YYYY-MM-DD. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(t)) return day;
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return new Date(t - dow * 86400000).toISOString().slice(0, 10);
}

/** YYYY-MM of `day`. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}
