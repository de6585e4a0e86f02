/**
 * Core events on their way out to the renderer, for both transports (Electron IPC and the
 * host-mode socket). Requests already pass the contract on the way back (dispatch parses
 * outputs); events get the same treatment here, so a core bug can never push a field the
 * contract does not declare (key material, say) into the renderer.
 */
import { events, isEventName, type EventEnvelope } from '../ipc';

export type OutboundEvent = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

/** The event as the contract allows it (undeclared fields stripped), or why it was refused. */
export function checkOutboundEvent(name: unknown, payload: unknown): OutboundEvent {
  if (!isEventName(name)) return { ok: false, reason: `unknown event ${String(name).slice(0, 64)}` };
  const parsed = events[name].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, reason: `${name} payload breaks the contract (${where}${issue?.message ?? 'invalid'})` };
  }
  return { ok: true, envelope: { name, payload: parsed.data } };
}
