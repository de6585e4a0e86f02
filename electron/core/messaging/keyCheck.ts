/**
 * Catches up on key resets missed while offline. The relay pushes `keyChanged` only to
 * partners online at the time of a `rekey`; after every login the core asks which of its
 * conversation partners changed keys since its previous complete check (`keysChanged`) and
 * refreshes each through the directory, so the keyChanged line, the held sending and the new
 * safety number appear before anyone writes, exactly as after the push.
 *
 * The mark (`settings.keysCheckedUntil`) is the relay's own clock from the previous answer,
 * never the local one. It only moves forward, and only past users that were all refreshed:
 * a failed check is logged and the same window is asked again at the next login. Each check
 * reaches KEY_CHECK_OVERLAP_MS behind the mark (a rekey stamped just before a previous answer
 * but committed just after it; relay nodes whose clocks differ a little); refreshing a user
 * whose key was already adopted changes nothing.
 */
import type { Logger } from '../api';
import type { Store } from '../db/store';
import { describeError } from '../logger';
import type { RelayLink } from '../relay/link';
import { isRelayError } from '../relay/relayError';
import { ContactKeyError, type UserDirectory } from './directory';

export const KEYS_CHECKED_SETTING = 'keysCheckedUntil';
export const KEY_CHECK_OVERLAP_MS = 5 * 60 * 1000;
/** Pages asked per check (each up to KEYS_CHANGED_MAX_USERS users); the rest waits for the next login. */
const MAX_PAGES = 20;

export class KeyChangeCheck {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly link: RelayLink,
    private readonly directory: Pick<UserDirectory, 'refresh'>,
    private readonly logger: Logger,
  ) {}

  /** Starts a check (after a login). One at a time: a login during a check runs another after it. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.check();
        } catch (err) {
          this.logger.warn('could not check which contacts changed keys; retrying at the next login', {
            error: describeError(err),
          });
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** No new checks; resolves when the one in flight (if any) ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** The relay time up to which every change was applied, null before the first check. */
  mark(): number | null {
    const value = this.store.lifecycle.getSetting(KEYS_CHECKED_SETTING);
    if (value === null) return null;
    const mark = Number(value);
    return Number.isSafeInteger(mark) && mark >= 0 ? mark : null;
  }

  private async check(): Promise<void> {
    const mark = this.mark();
    // First check (new profile, or one from before this check existed): everything. A new
    // account has no partners yet, so this only sets the mark.
    let since = mark === null ? 0 : Math.max(0, mark - KEY_CHECK_OVERLAP_MS);
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.link.request({ t: 'keysChanged', since });
      if (this.stopped) return;
      for (const userId of answer.userIds) {
        await this.refresh(userId); // a failure throws: the mark stays before this user
        if (this.stopped) return;
      }
      this.advanceMark(answer.until);
      if (!answer.more || answer.until <= since) return;
      since = answer.until;
    }
    this.logger.warn('more contacts changed keys than one check covers; the rest at the next login');
  }

  /** Refreshes one user; permanent failures for this user are skipped, anything else throws. */
  private async refresh(userId: string): Promise<void> {
    try {
      await this.directory.refresh(userId);
    } catch (err) {
      // Permanent for this user (gone, or keys that do not verify): asking again cannot help.
      if (isRelayError(err, 'not_found') || err instanceof ContactKeyError) {
        this.logger.warn('skipped a contact whose keys changed', { userId, error: describeError(err) });
        return;
      }
      throw err;
    }
  }

  private advanceMark(until: number): void {
    const mark = this.mark();
    if (mark !== null && until <= mark) return;
    this.store.transaction(() => this.store.lifecycle.setSetting(KEYS_CHECKED_SETTING, String(until)));
  }
}
