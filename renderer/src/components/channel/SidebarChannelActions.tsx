import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateChannelDialog, JoinChannelDialog } from './CreateChannelDialog';

/** "New channel" and "Join by link", above the chat list. */
export function SidebarChannelActions() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'create' | 'join' | null>(null);
  return (
    <div className="sidebar-channel-actions">
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen('create')}>
        {t('channel.newChannel')}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={() => setOpen('join')}>
        {t('channel.joinByLink')}
      </button>
      {open === 'create' && <CreateChannelDialog onClose={() => setOpen(null)} />}
      {open === 'join' && <JoinChannelDialog onClose={() => setOpen(null)} />}
    </div>
  );
}
