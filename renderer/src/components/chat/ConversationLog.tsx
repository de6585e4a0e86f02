import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDownIcon } from '../icons/ArrowDownIcon';

/** Start fetching older history when the viewport is this close to the top. */
const LOAD_OLDER_WITHIN_PX = 600;
/** Counts as "at the bottom" (new messages keep the view pinned) within this distance. */
const AT_END_WITHIN_PX = 48;
/** Offer the jump-to-latest button when further than this from the bottom. */
const SHOW_JUMP_BEYOND_PX = 400;
/** How long a message jumped to (from a quote) stays highlighted. */
const HIGHLIGHT_MS = 1_500;

function prefersReducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** What the log needs of a row: a key that stays the same while the row exists. */
export interface LogRow {
  key: string;
}

/** What a row is told when it is rendered. */
export interface RowState {
  /** The row shows the message just jumped to. */
  highlighted: boolean;
  /** Goes to a message (a quote's target), loading older history until it is there. */
  jumpTo(messageId: string): void;
}

export interface ConversationLogProps<R extends LogRow> {
  rows: readonly R[];
  /** The log's accessible name. */
  label: string;
  /** Extra class on the scrolling element. */
  className?: string | undefined;
  /** A guess at a row's height before it is measured. */
  estimateSize(row: R): number;
  /** The message a row shows, if any (how jumping finds it). */
  messageIdOf(row: R): string | undefined;
  renderRow(row: R, state: RowState): ReactNode;
  /** Older history remains to be loaded. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Loads the next older page (callers ask once while one is on its way). */
  loadOlder(): Promise<unknown>;
  /** Loads older pages until the message is held; resolves to whether it is. */
  reveal(messageId: string): Promise<boolean>;
  /** Our own message just sent: it comes into view even if the user had scrolled up. */
  ownNewMessageId: string | null;
  /** Shown when there are no rows. */
  empty?: ReactNode;
  /** Rendered beside the log (menus, dialogs). */
  children?: ReactNode;
}

/**
 * A conversation's history (1:1 chat or group), virtualized: only rows near the viewport
 * are in the DOM, each measured after render (heights vary with the text). It opens at the
 * bottom, stays pinned there as messages arrive if the user was there, keeps the viewport
 * still while older pages are inserted above, and fetches those pages as the user nears
 * the top. Going to a quoted message loads older pages until it is there, then scrolls to
 * it and highlights it for a moment.
 */
export function ConversationLog<R extends LogRow>({
  rows,
  label,
  className,
  estimateSize,
  messageIdOf,
  renderRow,
  hasOlder,
  loadingOlder,
  loadOlder,
  reveal,
  ownNewMessageId,
  empty,
  children,
}: ConversationLogProps<R>) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [farFromEnd, setFarFromEnd] = useState(false);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);

  // The virtualizer is a mutable object by design; we do not use the React Compiler, so its
  // "cannot memoize" notice does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => {
      const row = rows[index];
      return row ? estimateSize(row) : 52;
    },
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 6,
    paddingStart: 8,
    paddingEnd: 12,
    // Chat behaviour: rows inserted above keep the visible ones in place, and rows
    // appended while at the bottom scroll into view.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_WITHIN_PX,
  });

  // Open at the newest message.
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [virtualizer]);

  // Our own new message always comes into view, even if the user had scrolled up.
  useLayoutEffect(() => {
    if (ownNewMessageId) virtualizer.scrollToEnd({ behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  }, [ownNewMessageId, virtualizer]);

  // When the viewport changes height (the composer grows or shrinks, the window is resized),
  // keep what is at the bottom in place, as the newest messages are what the user is reading.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let lastHeight = element.clientHeight;
    const observer = new ResizeObserver(() => {
      const height = element.clientHeight;
      if (height !== lastHeight) element.scrollTop += lastHeight - height;
      lastHeight = height;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // When the history fits without scrolling there is no scroll to trigger the next page.
  // Asked once per number of rows: after a failure it is asked again when something changes,
  // not over and over.
  const askedAtRowCount = useRef<number | null>(null);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element || !hasOlder || loadingOlder || element.scrollHeight > element.clientHeight) return;
    if (askedAtRowCount.current === rows.length) return;
    askedAtRowCount.current = rows.length;
    void loadOlder();
  }, [rows.length, hasOlder, loadingOlder, loadOlder]);

  // ---- going to a message (a quote's target)

  /** Scrolls to the message's row, if there is one among `list`. */
  const scrollToMessage = useCallback(
    (list: readonly R[], messageId: string): boolean => {
      const index = list.findIndex((row) => messageIdOf(row) === messageId);
      if (index < 0) return false;
      virtualizer.scrollToIndex(index, { align: 'center' });
      return true;
    },
    [messageIdOf, virtualizer],
  );
  const rowsRef = useRef(rows);
  /** The newest jump asked for, while its message is being loaded. */
  const jumping = useRef<string | null>(null);
  /** A message loaded for a jump whose row has not been rendered yet. */
  const scrollPending = useRef<string | null>(null);
  useLayoutEffect(() => {
    rowsRef.current = rows;
    const messageId = scrollPending.current;
    if (messageId && scrollToMessage(rows, messageId)) scrollPending.current = null;
  }, [rows, scrollToMessage]);

  const jumpTo = useCallback(
    (messageId: string) => {
      jumping.current = messageId;
      scrollPending.current = null;
      void reveal(messageId).then((found) => {
        // A later jump wins; a message that is not (or no longer) in the history is not gone to.
        if (jumping.current !== messageId) return;
        jumping.current = null;
        if (!found) return;
        setHighlightedId(messageId);
        window.setTimeout(() => setHighlightedId((id) => (id === messageId ? null : id)), HIGHLIGHT_MS);
        if (!scrollToMessage(rowsRef.current, messageId)) scrollPending.current = messageId;
      });
    },
    [reveal, scrollToMessage],
  );

  const onScroll = () => {
    // From the DOM, not the virtualizer: while rows are still being measured its distance is an estimate.
    const element = scrollRef.current;
    if (!element) return;
    if (element.scrollTop < LOAD_OLDER_WITHIN_PX && hasOlder && !loadingOlder) void loadOlder();
    const distanceFromEnd = element.scrollHeight - element.scrollTop - element.clientHeight;
    setFarFromEnd(distanceFromEnd > SHOW_JUMP_BEYOND_PX);
  };

  return (
    <div className="message-list">
      <div
        ref={scrollRef}
        className={['message-list__scroller', className].filter(Boolean).join(' ')}
        role="log"
        aria-label={label}
        // The log scrolls; keyboard users need to be able to focus it to scroll it.
        tabIndex={0}
        onScroll={onScroll}
      >
        {rows.length === 0 && empty}
        <div className="message-list__canvas" style={{ blockSize: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const messageId = messageIdOf(row);
            return (
              <div
                key={item.key.toString()}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="message-list__row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {renderRow(row, { highlighted: messageId !== undefined && messageId === highlightedId, jumpTo })}
              </div>
            );
          })}
        </div>
      </div>
      {children}
      {farFromEnd && (
        <button
          type="button"
          className="jump-to-latest"
          onClick={() => virtualizer.scrollToEnd({ behavior: prefersReducedMotion() ? 'auto' : 'smooth' })}
        >
          <ArrowDownIcon />
          <span className="visually-hidden">{t('chat.jumpToLatest')}</span>
        </button>
      )}
    </div>
  );
}
