/**
 * GitHub search returns at most 1,000 results per query
 * (https://docs.github.com/rest/search/search#about-search), so a query is cut
 * into windows: first by creation date (bisecting the day range), then, within a
 * single day, by repository size in KB. Windows are plain data with a stable
 * string form, so the windows done can be recorded and skipped after a restart.
 */

/** A slice of a query: an inclusive creation-day range and an inclusive size range in KB. */
export interface SearchWindow {
  /** Days since 1970-01-01 (UTC). */
  fromDay: number;
  toDay: number;
  sizeLo: number;
  /** `SIZE_OPEN` means no upper bound (`size:lo..*`). */
  sizeHi: number;
}

/** GitHub's search cap. */
export const SEARCH_RESULT_CAP = 1000;

/** Upper size bound used while bisecting: 2^24 KB = 16 GB, above any repository GitHub serves. */
export const SIZE_OPEN = 2 ** 24;

const DAY_MS = 86_400_000;

/** GitHub opened in 2008: no repository was created before. */
export const FIRST_DAY = Math.floor(Date.UTC(2008, 0, 1) / DAY_MS);

/** The whole searchable range: every creation day up to today, every size. */
export function fullWindow(today = new Date()): SearchWindow {
  return { fromDay: FIRST_DAY, toDay: Math.floor(today.getTime() / DAY_MS), sizeLo: 0, sizeHi: SIZE_OPEN };
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The qualifiers that restrict a query to a window, e.g. `created:2019-01-01..2019-06-30 size:0..*`. */
export function windowQualifiers(w: SearchWindow): string {
  const created = w.fromDay === w.toDay ? dayToIso(w.fromDay) : `${dayToIso(w.fromDay)}..${dayToIso(w.toDay)}`;
  const size = w.sizeHi >= SIZE_OPEN ? `${w.sizeLo}..*` : w.sizeLo === w.sizeHi ? `${w.sizeLo}` : `${w.sizeLo}..${w.sizeHi}`;
  return `created:${created} size:${size}`;
}

/** The query sent for a window. */
export function windowQuery(query: string, w: SearchWindow): string {
  return `${query.trim()} ${windowQualifiers(w)}`;
}

/**
 * Two halves of a window, or null when it cannot be cut further (one day, one
 * size). Dates are cut first because creation dates spread repositories evenly
 * across years; size only separates repositories created the same day.
 */
export function splitWindow(w: SearchWindow): [SearchWindow, SearchWindow] | null {
  if (w.fromDay < w.toDay) {
    const mid = Math.floor((w.fromDay + w.toDay) / 2);
    return [{ ...w, toDay: mid }, { ...w, fromDay: mid + 1 }];
  }
  if (w.sizeLo < w.sizeHi) {
    // Most repositories are small: cut open-ended ranges low instead of at 8 GB.
    const mid = w.sizeHi >= SIZE_OPEN ? Math.max(w.sizeLo, Math.min(Math.floor((w.sizeLo + w.sizeHi) / 2), w.sizeLo * 2 + 1024)) : Math.floor((w.sizeLo + w.sizeHi) / 2);
    return [{ ...w, sizeHi: mid }, { ...w, sizeLo: mid + 1 }];
  }
  return null;
}

/** True when the user's query already restricts creation date or size (windows would conflict). */
export function hasWindowQualifier(query: string): boolean {
  return /(^|\s)(created|size):/i.test(query);
}
