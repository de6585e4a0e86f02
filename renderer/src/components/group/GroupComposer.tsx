import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupMessageView } from '../../../../shared/ipc';
import { useActions } from '../../app/AppContext';
import { ConversationComposer } from '../chat/Composer';

/**
 * The 1:1 composer, for a group: Enter sends, the box grows with its text, the reply/edit
 * bar sits above it (Esc cancels, Up edits our last message), the draft is kept across
 * restarts, members see that we are typing.
 */
export function GroupComposer({ groupId, messages }: { groupId: string; messages: readonly GroupMessageView[] }) {
  const { t } = useTranslation();
  const { sendGroupDraft, saveGroupDraft, typingInGroup } = useActions();
  return (
    <ConversationComposer
      conversationId={groupId}
      messages={messages}
      replyName={(target) => target?.senderName ?? ''}
      send={useCallback(() => sendGroupDraft(groupId), [sendGroupDraft, groupId])}
      saveDraft={useCallback((draft: string) => saveGroupDraft(groupId, draft), [saveGroupDraft, groupId])}
      typing={useCallback(() => typingInGroup(groupId), [typingInGroup, groupId])}
      label={t('group.messageLabel')}
      placeholder={t('group.messagePlaceholder')}
      sendLabel={t('group.send')}
    />
  );
}
