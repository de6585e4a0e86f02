/** What the search box's text asks the core for: trimmed, without the @, within the contract's length. */
export function searchTerm(query: string): string {
  return query.trim().replace(/^@/, '').slice(0, 32);
}
