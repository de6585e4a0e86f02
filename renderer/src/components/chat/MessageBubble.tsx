import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageView } from '../../../../shared/ipc/contract';
import { formatClockTime } from '../../format/time';
import { StatusIcon } from '../icons/StatusIcon';

interface MessageBubbleProps {
  message: MessageView;
  firstInGroup: boolean;
  lastInGroup: boolean;
  locale: string;
}

/**
 * One message. The text is rendered as text (React escapes it): message content is never
 * interpreted as HTML. It takes its direction from its own first strong character
 * (dir="auto"), so a Hebrew message reads right in an English UI and vice versa. Time and tick sit in the bubble's bottom corner; an invisible copy
 * of them at the end of the text reserves their room, so a short last line flows beside
 * them and a full one pushes them onto a line of their own.
 */
export const MessageBubble = memo(function MessageBubble({
  message,
  firstInGroup,
  lastInGroup,
  locale,
}: MessageBubbleProps) {
  const { t } = useTranslation();
  const side = message.fromMe ? 'out' : 'in';
  const time = formatClockTime(message.sentAt, locale);
  const classes = [
    'bubble-row',
    `bubble-row--${side}`,
    firstInGroup ? 'bubble-row--first' : '',
    lastInGroup ? 'bubble-row--last' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes}>
      <div className="bubble">
        <span className="bubble__text" dir="auto">
          {message.text}
        </span>
        <span className="bubble__meta-room" aria-hidden="true">
          {time}
          {message.fromMe && <span className="bubble__status-room" />}
        </span>
        <span className="bubble__meta">
          <time dateTime={new Date(message.sentAt).toISOString()}>{time}</time>
          {message.fromMe && message.status && <StatusIcon status={message.status} className="bubble__status" />}
        </span>
      </div>
      {message.status === 'failed' && <p className="bubble-row__failure">{t('chat.notSent')}</p>}
    </div>
  );
});
