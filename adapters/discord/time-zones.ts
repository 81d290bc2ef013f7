/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

let zones: readonly string[] | undefined;

/**
 * IANA zones matching what the member has typed so far: zones whose city or
 * region starts with it first (`bris` → Australia/Brisbane), then any zone
 * containing it. Spaces count as underscores, as in `new york`.
 */
export function suggestTimeZones(typed: string): string[] {
  zones ??= Intl.supportedValuesOf("timeZone");
  const wanted = typed.trim().toLowerCase().replace(/\s+/g, "_");
  const starts: string[] = [];
  const contains: string[] = [];
  for (const zone of zones) {
    const lower = zone.toLowerCase();
    if (lower.split("/").some((part) => part.startsWith(wanted)) || lower.startsWith(wanted))
      starts.push(zone);
    else if (lower.includes(wanted)) contains.push(zone);
  }
  return [...starts, ...contains].slice(0, MAX_CHOICES);
}
