/**
 * Reading the host's frames (shared/ipc/hostWire.ts). The host is trusted like the
 * preload is, but a frame that does not have the agreed shape is dropped rather than
 * allowed to throw inside the socket handler.
 */
import type { IpcResult } from '../../../shared/ipc/result';

export type HostFrame =
  { kind: 'result'; id: number; result: IpcResult<unknown> } | { kind: 'event'; name: string; payload: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asResult(value: unknown): IpcResult<unknown> | null {
  if (!isRecord(value) || typeof value.ok !== 'boolean') return null;
  if (value.ok) return { ok: true, value: value.value };
  if (typeof value.code !== 'string') return null;
  const message = typeof value.message === 'string' ? value.message : '';
  return { ok: false, code: value.code as Extract<IpcResult<unknown>, { ok: false }>['code'], message };
}

export function parseHostFrame(data: unknown): HostFrame | null {
  if (typeof data !== 'string') return null;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(frame)) return null;
  if (typeof frame.id === 'number') {
    const result = asResult(frame.result);
    return result ? { kind: 'result', id: frame.id, result } : null;
  }
  if (typeof frame.event === 'string') return { kind: 'event', name: frame.event, payload: frame.payload };
  return null;
}
