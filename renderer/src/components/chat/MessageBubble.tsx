import { memo, type MouseEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../hooks/useNow';
import { timeLeft, timerLabelKey, type Reaction } from '../../format/lifecycle';
import { formatClockTime } from '../../format/time';
import { StatusIcon } from '../icons/StatusIcon';
import type { BubbleMessage } from '../lifecycle/bubbleMessage';

interface MessageBubbleProps<M extends BubbleMessage> {
  message: M;
  firstInGroup: boolean;
  lastInGroup: boolean;
  locale: string;
  /** The name on the message's quote ("You" for ours); see quoteAuthor. */
  quoteName: string;
  /** Groups: the sender's name on top of the first bubble of their run, in their colour. */
  senderName?: string | undefined;
  /** Index of the sender's colour (avatarColorIndex), with senderName. */
  senderColor?: number | undefined;
  highlighted?: boolean;
  /** Opens the message's action menu at a point (right-click) or by its ⋯ button. */
  onOpenMenu?(message: M, at: { x: number; y: number }): void;
  onJumpTo?(messageId: string): void;
  onReact?(message: M, emoji: Reaction | ''): void;
}

/**
 * One message, in a 1:1 chat or a group (any BubbleMessage). The text is rendered as text
 * (React escapes it): message content is never interpreted as HTML. It takes its direction from its own first strong character
 * (dir="auto"), so a Hebrew message reads right in an English UI and vice versa. Time and tick sit in the bubble's bottom corner; an invisible copy
 * of them at the end of the text reserves their room, so a short last line flows beside
 * them and a full one pushes them onto a line of their own.
 *
 * Around the text: the sender's name (groups), "Forwarded", the quoted message it answers
 * (a button that jumps to it), "edited", the self-destruct countdown, reaction chips, and
 * a ⋯ button for the action menu (also on right-click).
 */
export const MessageBubble = memo(function MessageBubble<M extends BubbleMessage>({
  message,
  firstInGroup,
  lastInGroup,
  locale,
  quoteName,
  senderName,
  senderColor,
  highlighted,
  onOpenMenu,
  onJumpTo,
  onReact,
}: MessageBubbleProps<M>) {
  const { t } = useTranslation();
  const side = message.fromMe ? 'out' : 'in';
  const time = formatClockTime(message.sentAt, locale);
  const classes = [
    'bubble-row',
    `bubble-row--${side}`,
    firstInGroup ? 'bubble-row--first' : '',
    lastInGroup ? 'bubble-row--last' : '',
    highlighted ? 'bubble-row--highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const onContextMenu = (event: MouseEvent) => {
    if (!onOpenMenu) return;
    event.preventDefault();
    onOpenMenu(message, { x: event.clientX, y: event.clientY });
  };
  const quote = message.replyTo;
  const countdown = useCountdown(message.expiresIn, message.expiresAt);
  return (
    <div className={classes} data-message-id={message.id}>
      <div className="bubble" onContextMenu={onContextMenu}>
        {senderName !== undefined && (
          <span className={`group-bubble__sender group-sender--c${senderColor ?? 0}`}>
            <bdi>{senderName}</bdi>
          </span>
        )}
        {message.forwarded && <span className="bubble__forwarded">{t('lifecycle.forwarded')}</span>}
        {quote && (
          <button
            type="button"
            className="bubble__quote"
            disabled={quote.missing}
            aria-label={quote.missing ? t('lifecycle.quoteMissing') : t('lifecycle.quoteJump', { name: quoteName })}
            onClick={() => onJumpTo?.(quote.id)}
          >
            {quote.missing ? (
              <span className="bubble__quote-text">{t('lifecycle.quoteMissing')}</span>
            ) : (
              <>
                <span className="bubble__quote-name">
                  <bdi>{quoteName}</bdi>
                </span>
                <span className="bubble__quote-text" dir="auto">
                  {quote.text}
                </span>
              </>
            )}
          </button>
        )}
        <span className="bubble__text" dir="auto">
          {message.text}
        </span>
        <span className="bubble__meta-room" aria-hidden="true">
          {message.editedAt !== undefined && `${t('lifecycle.edited')} `}
          {message.expiresIn ? `⏱ ${countdown ?? ''} ` : ''}
          {time}
          {message.fromMe && <span className="bubble__status-room" />}
        </span>
        <span className="bubble__meta">
          {message.editedAt !== undefined && <span className="bubble__edited">{t('lifecycle.edited')}</span>}
          {message.expiresIn ? <Countdown expiresIn={message.expiresIn} left={countdown} /> : null}
          <time dateTime={new Date(message.sentAt).toISOString()}>{time}</time>
          {message.fromMe && message.status && (
            <StatusIcon
              status={message.status}
              className="bubble__status"
              label={
                message.status === 'read' && message.readCount
                  ? t('status.readBy', { count: message.readCount })
                  : undefined
              }
            />
          )}
        </span>
        {onOpenMenu && (
          <button
            type="button"
            className="bubble__more"
            aria-label={t('lifecycle.actionsFor')}
            aria-haspopup="menu"
            onClick={(event) => {
              const rect = event.currentTarget.getBoundingClientRect();
              onOpenMenu(message, { x: rect.left, y: rect.bottom });
            }}
          >
            ⋯
          </button>
        )}
      </div>
      {message.reactions && message.reactions.length > 0 && (
        <div className="bubble-row__reactions">
          {message.reactions.map((reaction) => (
            <button
              key={reaction.emoji}
              type="button"
              className={`reaction-chip${reaction.mine ? ' reaction-chip--mine' : ''}`}
              aria-pressed={reaction.mine}
              // Where we can no longer react (a group we left), the chips only show.
              disabled={!onReact}
              aria-label={t('lifecycle.reactionChip', {
                emoji: reaction.emoji,
                count: reaction.count,
                who: reaction.mine ? t('lifecycle.reactionMine') : t('lifecycle.reactionOthers'),
              })}
              onClick={() => onReact?.(message, reaction.mine ? '' : (reaction.emoji as Reaction))}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              {reaction.count > 1 && <span className="reaction-chip__count">{reaction.count}</span>}
            </button>
          ))}
        </div>
      )}
      {message.status === 'failed' && <p className="bubble-row__failure">{t('chat.notSent')}</p>}
    </div>
  );
  // memo() loses the type parameter; the cast puts it back.
}) as <M extends BubbleMessage>(props: MessageBubbleProps<M>) => ReactElement;

/**
 * The time left of a running self-destruct countdown ("4 s"), ticking each second; null
 * before it starts (not seen yet) or without a timer. One clock for the bubble: the
 * invisible room in the corner and the countdown shown there always read the same.
 */
function useCountdown(expiresIn: number | undefined, expiresAt: number | undefined): string | null {
  const { t } = useTranslation();
  const now = useNow(1_000, Boolean(expiresIn) && expiresAt !== undefined);
  if (!expiresIn || expiresAt === undefined) return null;
  const left = timeLeft(expiresAt - now);
  return t(left.key, { count: left.count });
}

/** "⏱ 4 s": time left once the countdown runs; the timer itself before (not seen yet). */
function Countdown({ expiresIn, left }: { expiresIn: number; left: string | null }) {
  const { t } = useTranslation();
  if (left === null) {
    const timer = t(timerLabelKey(expiresIn));
    return (
      <span className="bubble__timer" title={t('lifecycle.disappearsAfterRead', { timer })}>
        <span aria-hidden="true">⏱</span>
        <span className="visually-hidden">{t('lifecycle.disappearsAfterRead', { timer })}</span>
      </span>
    );
  }
  return (
    <span
      className="bubble__timer bubble__timer--running"
      role="timer"
      aria-label={t('lifecycle.disappearsIn', { time: left })}
    >
      ⏱ {left}
    </span>
  );
}
