/** Every call across the contract resolves to one of these; nothing throws across it. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: IpcErrorCode; message: string };

/**
 * Error codes a caller can act on. Domain failures from the core use their own code
 * (e.g. `username_taken`); these are the ones the transport and validation produce.
 */
export type IpcErrorCode =
  | 'invalid_input'
  | 'unknown_request'
  | 'forbidden_sender'
  | 'internal'
  | 'offline'
  | 'not_signed_in'
  | 'already_signed_in'
  | 'username_taken'
  | 'not_found'
  | 'rate_limited'
  | 'relay_error'
  /** security.setVerified: the peer's key changed after the compared number was shown. */
  | 'safety_number_changed'
  /** Groups: the action needs an admin, the owner, or membership. */
  | 'not_group_admin'
  | 'not_owner'
  | 'not_group_member';

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcErrorCode, message: string): IpcResult<never> => ({ ok: false, code, message });
