import type { TFunction } from 'i18next';
import type { IpcErrorCode } from '../../../../shared/ipc/result';
import { errorMessageKey } from '../../i18n/errorMessages';

/**
 * What to show for a failed channel request: the core words its channel refusals for people
 * (a bad picture, not the owner, not an admin), so those are shown as they are; any other
 * code gets the app's generic sentence for it.
 */
export function failureText(failure: { code: IpcErrorCode; message: string }, t: TFunction): string {
  return failure.code === 'relay_error' || failure.code === 'invalid_input' || failure.code === 'not_found'
    ? failure.message
    : t(errorMessageKey(failure.code));
}
