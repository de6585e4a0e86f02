/**
 * Friendly words for the error codes a request can fail with. Domain codes the core may
 * add later fall back to a generic sentence rather than showing a raw code.
 */
import type { ParseKeys } from 'i18next';
import type { IpcErrorCode } from '../../../shared/ipc/result';

const KEYS: Record<IpcErrorCode, ParseKeys> = {
  invalid_input: 'errors.invalidInput',
  unknown_request: 'errors.generic',
  forbidden_sender: 'errors.generic',
  internal: 'errors.generic',
  offline: 'errors.offline',
  not_signed_in: 'errors.notSignedIn',
  already_signed_in: 'errors.alreadySignedIn',
  username_taken: 'errors.usernameTaken',
  not_found: 'errors.notFound',
  rate_limited: 'errors.rateLimited',
  relay_error: 'errors.relayError',
  safety_number_changed: 'errors.safetyNumberChanged',
  not_group_admin: 'errors.notGroupAdmin',
  not_owner: 'errors.notGroupOwner',
  not_group_member: 'errors.notGroupMember',
};

export function errorMessageKey(code: string): ParseKeys {
  return Object.hasOwn(KEYS, code) ? KEYS[code as IpcErrorCode] : 'errors.generic';
}
