import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupView } from '../../../../shared/ipc';
import { useActions, useAppStore } from '../../app/AppContext';
import { TIMER_LABEL_KEYS, timerLabelKey, typingLine } from '../../format/lifecycle';
import { useNow } from '../../hooks/useNow';
import { errorMessageKey } from '../../i18n/errorMessages';
import { typistsAt } from '../../store/groupsSlice';
import { Avatar } from '../common/Avatar';
import { SentenceText } from '../common/WithNames';
import { isGroupAdmin } from '../lifecycle/bubbleMessage';
import { LockIcon } from '../icons/LockIcon';

/**
 * The group's name; under it who is typing, or the member count and "End-to-end
 * encrypted". Owners and admins get the 1:1 chat's self-destruct timer picker; members see
 * the timer in effect (when there is one), read-only.
 */
export function GroupHeader({
  group,
  headingId,
  showMembers,
  onToggleMembers,
}: {
  group: GroupView;
  headingId: string;
  showMembers: boolean;
  onToggleMembers(): void;
}) {
  const { t } = useTranslation();
  const { setGroupTimer } = useActions();
  const typists = useAppStore((s) => s.groups.typing[group.id]);
  const now = useNow(1_000, typists !== undefined);
  const typing = typingLine(typistsAt(typists, now).map((typist) => typist.name));
  const setGroupTyping = useAppStore((s) => s.setGroupTyping);
  // Everyone stopped: forget them, which also stops the clock.
  const nobodyTyping = typing === null;
  useEffect(() => {
    if (typists && nobodyTyping)
      for (const typist of typists) setGroupTyping(group.id, typist.userId, typist.name, null);
  }, [typists, nobodyTyping, group.id, setGroupTyping]);
  const [timerError, setTimerError] = useState<string | null>(null);

  const changeTimer = async (seconds: number) => {
    setTimerError(null);
    const result = await setGroupTimer(group.id, seconds);
    if (!result.ok) setTimerError(t('lifecycle.timerSetFailed', { reason: t(errorMessageKey(result.code)) }));
  };

  const timer = t(timerLabelKey(group.timer));
  return (
    <>
      <header className="chat-header">
        <Avatar userId={group.id} displayName={group.name} size="small" />
        <div className="chat-header__titles">
          <h2 id={headingId} className="chat-header__name">
            <bdi>{group.name}</bdi>
          </h2>
          <p className="chat-header__username group-pane__sub" aria-live="polite">
            {typing ? (
              <span className="chat-header__typing">
                <SentenceText sentence={typing} />
              </span>
            ) : (
              <span title={t('group.encryptedHint')}>
                {t('group.memberCount', { count: group.memberCount })} ·{' '}
                <span className="group-pane__e2e">
                  <LockIcon className="group-pane__lock" />
                  {t('group.encrypted')}
                </span>
              </span>
            )}
          </p>
        </div>
        {isGroupAdmin(group) ? (
          <label className="chat-header__timer">
            <span aria-hidden="true">⏱</span>
            <select
              aria-label={t('lifecycle.timerLabel')}
              value={group.timer}
              onChange={(event) => void changeTimer(Number(event.target.value))}
            >
              {TIMER_LABEL_KEYS.map(([seconds, key]) => (
                <option key={seconds} value={seconds}>
                  {t(key)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          group.timer > 0 && (
            <span
              className="chat-header__timer chat-header__timer--readonly"
              title={t('lifecycle.timerReadOnly', { timer })}
            >
              <span aria-hidden="true">⏱ {timer}</span>
              <span className="visually-hidden">{t('lifecycle.timerReadOnly', { timer })}</span>
            </span>
          )
        )}
        <button
          type="button"
          className={`button button--small ${showMembers ? 'button--primary' : 'button--secondary'}`}
          aria-expanded={showMembers}
          onClick={onToggleMembers}
        >
          {t('group.members')}
        </button>
      </header>
      {timerError && (
        <p role="alert" className="group-pane__warning">
          {timerError}
        </p>
      )}
    </>
  );
}
