import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView } from '../../../../shared/ipc';
import { avatarColorIndex } from '../../format/avatar';
import { formatClockTime } from '../../format/time';
import { useFormattingLocale } from '../../hooks/useFormattingLocale';
import { DaySeparator } from '../chat/DaySeparator';
import { StatusIcon } from '../icons/StatusIcon';
import { buildGroupRows } from './groupRows';

type T = ReturnType<typeof useTranslation>['t'];

/**
 * A group's history with the 1:1 chat's look (Chat.css): day separators, bubbles with the
 * time in their corner, membership lines as centred service lines. Others' runs start
 * with the sender's name in their colour. Text is rendered as text, never as HTML.
 */
export function GroupMessages({ messages }: { messages: readonly GroupMessageView[] }) {
  const { t } = useTranslation();
  const locale = useFormattingLocale();
  const rows = useMemo(() => buildGroupRows(messages), [messages]);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length]);
  return (
    <ol className="group-messages" aria-label={t('group.messages')}>
      {rows.map((row) => {
        if (row.kind === 'day')
          return (
            <li key={row.key}>
              <DaySeparator at={row.at} locale={locale} />
            </li>
          );
        if (row.kind === 'system')
          return (
            <li key={row.key} className="service-line">
              <p className="service-line__text">
                <span>{systemText(t, row.message)}</span>
              </p>
            </li>
          );
        return (
          <li key={row.key}>
            <GroupBubble message={row.message} first={row.firstInRun} last={row.lastInRun} locale={locale} />
          </li>
        );
      })}
      <li ref={end} aria-hidden="true" />
    </ol>
  );
}

function GroupBubble({
  message,
  first,
  last,
  locale,
}: {
  message: GroupMessageView;
  first: boolean;
  last: boolean;
  locale: string;
}) {
  const { t } = useTranslation();
  const time = formatClockTime(message.sentAt, locale);
  const classes = [
    'bubble-row',
    message.fromMe ? 'bubble-row--out' : 'bubble-row--in',
    first ? 'bubble-row--first' : '',
    last ? 'bubble-row--last' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes}>
      <div className="bubble">
        {first && !message.fromMe && (
          <span className={`group-bubble__sender group-sender--c${avatarColorIndex(message.senderId)}`}>
            <bdi>{message.senderName}</bdi>
          </span>
        )}
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
      {message.status === 'failed' && <p className="bubble-row__failure">{t('group.failed')}</p>}
    </div>
  );
}

function systemText(t: T, m: GroupMessageView): string {
  const s = m.system;
  if (!s) return '';
  const actor = m.fromMe ? t('group.you') : s.actorName;
  const targets = s.targetNames.join(', ');
  switch (s.action) {
    case 'create':
      return t('group.line.create', { actor, name: s.name ?? '' });
    case 'add':
      return t('group.line.add', { actor, targets });
    case 'remove':
      return s.aboutMe ? t('group.line.removedYou', { actor }) : t('group.line.remove', { actor, targets });
    case 'leave':
      return t('group.line.leave', { actor });
    case 'join':
      return t('group.line.join', { actor });
    case 'promote':
      return t('group.line.promote', { actor, targets });
    case 'demote':
      return t('group.line.demote', { actor, targets });
    case 'rename':
      return t('group.line.rename', { actor, name: s.name ?? '' });
    case 'invite':
      return t('group.line.invite', { actor });
    case 'revoke':
      return t('group.line.revoke', { actor });
  }
}
