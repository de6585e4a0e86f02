import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/AppContext';
import { Avatar } from '../common/Avatar';
import { ProfileMenu } from './ProfileMenu';

/**
 * Who you are signed in as, at the top of the sidebar, with a menu of account actions.
 * Names are <bdi> so they read right in any UI direction.
 */
export function ProfileCard() {
  const { t } = useTranslation();
  const profile = useAppStore((s) => s.session.profile);
  if (!profile) return null;
  return (
    <section className="profile-card" aria-label={t('sidebar.profile')}>
      <Avatar userId={profile.userId} displayName={profile.displayName} username={profile.username} size="small" />
      <div className="profile-card__names">
        <p className="profile-card__name">
          <bdi>{profile.displayName}</bdi>
        </p>
        <p className="profile-card__username">
          <bdi>@{profile.username}</bdi>
        </p>
      </div>
      <ProfileMenu />
    </section>
  );
}
