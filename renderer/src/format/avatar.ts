/** What an avatar without a picture shows: initials on a colour that belongs to the user. */

/** How many avatar colours the theme defines (`.avatar--c0` … `.avatar--c7`). */
export const AVATAR_COLOR_COUNT = 8;

/**
 * Up to two initials from the display name (first letters of the first and last words),
 * else the first letter of the username. Counts code points, not UTF-16 units, so a name
 * starting with an emoji or a non-BMP letter is not cut in half.
 */
export function initials(displayName: string, username = ''): string {
  const words = displayName.trim().split(/\s+/u).filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = [first, last].map((word) => (word ? (Array.from(word)[0] ?? '') : '')).join('');
  const fallback = Array.from(username)[0] ?? '?';
  return (letters || fallback).toLocaleUpperCase();
}

/**
 * A colour index derived from the user id (FNV-1a), so a person keeps their colour across
 * sessions and devices, and both sides of a chat see the same one.
 */
export function avatarColorIndex(userId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % AVATAR_COLOR_COUNT;
}
