/**
 * How a safety number is shown and copied: 60 digits in 12 groups of 5, laid out in rows
 * of 4 groups (3 rows), the same on both sides so two people can read them to each other.
 */
export const GROUP_SIZE = 5;
export const GROUPS_PER_ROW = 4;

/** Splits the digits into groups of `size` (the last one shorter if they do not divide evenly). */
export function groupDigits(digits: string, size = GROUP_SIZE): string[] {
  const clean = digits.replace(/\D/g, '');
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += size) groups.push(clean.slice(i, i + size));
  return groups;
}

/** Groups arranged in rows, as the grid shows them. */
export function safetyNumberRows(groups: readonly string[], perRow = GROUPS_PER_ROW): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < groups.length; i += perRow) rows.push(groups.slice(i, i + perRow));
  return rows;
}

/** What "Copy" puts on the clipboard: the rows of the grid, groups separated by spaces. */
export function safetyNumberCopyText(groups: readonly string[]): string {
  return safetyNumberRows(groups)
    .map((row) => row.join(' '))
    .join('\n');
}

/**
 * The groups to show: the core's own grouping when it agrees with the digits, else
 * grouped here, so what is shown always spells exactly the digits.
 */
export function displayGroups(digits: string, groups: readonly string[]): string[] {
  return groups.join('') === digits && groups.every((g) => g.length === GROUP_SIZE) ? [...groups] : groupDigits(digits);
}
