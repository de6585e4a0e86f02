/**
 * The contract's rules for a new account (shared/ipc/contract.ts: usernameInput,
 * displayNameInput), repeated here so the form can explain a problem while the user types.
 * The core validates again; these only make the feedback immediate.
 */

export type UsernameProblem = 'tooShort' | 'tooLong' | 'mustStartWithLetter' | 'invalidCharacters';
export type DisplayNameProblem = 'required' | 'tooLong';

/** As the contract normalises it: trimmed, without a leading @, lower case. */
export function normalizeUsername(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

/**
 * The first problem with a username, in the order that helps most: a wrong first
 * character or a stray symbol is worth saying before "too short".
 */
export function usernameProblem(raw: string): UsernameProblem | null {
  const username = normalizeUsername(raw);
  if (username.length > 0 && !/^[a-z]/.test(username)) return 'mustStartWithLetter';
  if (!/^[a-z0-9_]*$/.test(username)) return 'invalidCharacters';
  if (username.length < 3) return 'tooShort';
  if (username.length > 32) return 'tooLong';
  return null;
}

export function displayNameProblem(raw: string): DisplayNameProblem | null {
  const name = raw.trim();
  if (name.length === 0) return 'required';
  if (name.length > 64) return 'tooLong';
  return null;
}
