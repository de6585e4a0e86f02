import { useEffect, useMemo, useRef } from 'react';
import { useActions, useAppStore } from '../../app/AppContext';
import { useDocumentVisible } from '../../hooks/useDocumentVisible';
import { groupReadPoint } from './groupRead';

const NO_MESSAGES: readonly never[] = [];

/**
 * While a group is open and the window visible, tells the core the user has seen it up to
 * the newest line shown: unread clears and the countdown of timed messages seen starts.
 * Reported again when a member's new line arrives while it is open.
 */
export function useMarkGroupRead(groupId: string): void {
  const { markGroupRead } = useActions();
  const unread = useAppStore((s) => s.groups.byId[groupId]?.unread ?? 0);
  const messages = useAppStore((s) => s.groups.messages[groupId] ?? NO_MESSAGES);
  const point = useMemo(() => groupReadPoint(messages, unread), [messages, unread]);
  const visible = useDocumentVisible();
  /** The newest line reported, and the newest line of others' it covered. */
  const reported = useRef<{ upToId: string; incomingId: string | undefined } | null>(null);
  const inFlight = useRef(false);

  useEffect(() => {
    if (!visible || !point) return;
    const last = reported.current;
    const newIncoming = point.incomingId !== undefined && point.incomingId !== last?.incomingId;
    // Something pending below the newest line (a message that waited for its key opened in
    // its place) is reported again at the same point; one report at a time.
    if (!newIncoming && !point.pending) return;
    if (inFlight.current && last?.upToId === point.upToId && !newIncoming) return;
    const report = { upToId: point.upToId, incomingId: point.incomingId };
    reported.current = report;
    inFlight.current = true;
    void markGroupRead(groupId, point.upToId).then((ok) => {
      inFlight.current = false;
      // Let a later change (the link coming back, a new line) try again.
      if (!ok && reported.current === report) reported.current = null;
    });
  }, [groupId, visible, point, markGroupRead]);
}
