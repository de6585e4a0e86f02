/**
 * Going to a message that is not loaded yet (a quote of an old one): older pages are
 * loaded, one after the other, until it is there or the history ends.
 */
export interface OlderPages {
  /** Whether the message is among those loaded. */
  holds(): boolean;
  /** Whether older pages remain to be loaded. */
  hasOlder(): boolean;
  /** Loads the next older page (or waits for the one being loaded); false if it could not. */
  loadOlder(): Promise<boolean>;
}

/** Resolves to whether the message is loaded in the end (false: not in the history, or a page failed). */
export async function loadOlderUntil({ holds, hasOlder, loadOlder }: OlderPages): Promise<boolean> {
  while (!holds()) {
    if (!hasOlder()) return false;
    if (!(await loadOlder())) return holds();
  }
  return true;
}
