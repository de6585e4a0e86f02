import { memo, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { useNow } from '../../hooks/useNow';
import { timeLeft, timerLabelKey, type Reaction } from '../../format/lifecycle';
import { formatClockTime } from '../../format/time';
import { StatusIcon } from '../icons/StatusIcon';

interface MessageBubbleProps {
  message: MessageView;
  firstInGroup: boolean;
  lastInGroup: boolean;
  locale: string;
  /** The peer's display name (for quotes of their messages). */
  peerName: string;
  highlighted?: boolean;
  /** Opens the message's action menu at a point (right-click) or by its ⋯ button. */
  onOpenMenu?(message: MessageView, at: { x: number; y: number }): void;
  onJumpTo?(messageId: string): void;
  onReact?(message: MessageView, emoji: Reaction | ''): void;
}

/**
 * One message. The text is rendered as text (React escapes it): message content is never
 * interpreted as HTML. It takes its direction from its own first strong character
 * (dir="auto"), so a Hebrew message reads right in an English UI and vice versa. Time and tick sit in the bubble's bottom corner; an invisible copy
 * of them at the end of the text reserves their room, so a short last line flows beside
 * them and a full one pushes them onto a line of their own.
 *
 * Around the text: the quoted message it answers (a button that jumps to it), "edited",
 * the self-destruct countdown, reaction chips, and a ⋯ button for the action menu (also on
 * right-click).
 */
export const MessageBubble = memo(function MessageBubble({
  message,
  firstInGroup,
  lastInGroup,
  locale,
  peerName,
  highlighted,
  onOpenMenu,
  onJumpTo,
  onReact,
}: MessageBubbleProps) {
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
  // In a 1:1 chat the quoted message is ours or the peer's.
  const quoteIsMine = quote !== undefined && (quote.senderId === message.senderId) === message.fromMe;
  const quoteName = quoteIsMine ? t('lifecycle.you') : peerName;
  return (
    <div className={classes} data-message-id={message.id}>
      <div className="bubble" onContextMenu={onContextMenu}>
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
          {message.expiresIn ? '⏱ 00 s ' : ''}
          {time}
          {message.fromMe && <span className="bubble__status-room" />}
        </span>
        <span className="bubble__meta">
          {message.editedAt !== undefined && <span className="bubble__edited">{t('lifecycle.edited')}</span>}
          {message.expiresIn ? <Countdown expiresIn={message.expiresIn} expiresAt={message.expiresAt} /> : null}
          <time dateTime={new Date(message.sentAt).toISOString()}>{time}</time>
          {message.fromMe && message.status && <StatusIcon status={message.status} className="bubble__status" />}
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
});

/** "⏱ 4 s": time left once the countdown runs; the timer itself before (not seen yet). */
function Countdown({ expiresIn, expiresAt }: { expiresIn: number; expiresAt: number | undefined }) {
  const { t } = useTranslation();
  const now = useNow(1_000, expiresAt !== undefined);
  if (expiresAt === undefined) {
    const timer = t(timerLabelKey(expiresIn));
    return (
      <span className="bubble__timer" title={t('lifecycle.disappearsAfterRead', { timer })}>
        <span aria-hidden="true">⏱</span>
        <span className="visually-hidden">{t('lifecycle.disappearsAfterRead', { timer })}</span>
      </span>
    );
  }
  const left = timeLeft(expiresAt - now);
  const text = t(left.key, { count: left.count });
  return (
    <span
      className="bubble__timer bubble__timer--running"
      role="timer"
      aria-label={t('lifecycle.disappearsIn', { time: text })}
    >
      ⏱ {text}
    </span>
  );
}
