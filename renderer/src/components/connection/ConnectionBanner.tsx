import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/AppContext';
import { useNow } from '../../hooks/useNow';
import { bannerState, type BannerState } from './bannerState';
import './ConnectionBanner.css';

function useBannerText(state: BannerState): string {
  const { t } = useTranslation();
  switch (state.kind) {
    case 'hidden':
      return '';
    case 'coreLost':
      return t('connection.coreLost');
    case 'connecting':
      return t('connection.connecting');
    case 'offline':
      return state.retryInSeconds === null
        ? t('connection.offline')
        : t('connection.offlineRetryIn', { seconds: state.retryInSeconds });
  }
}

/**
 * A thin bar above the app while something is wrong with the connection. The live region
 * stays mounted (empty when all is well) so screen readers announce when it fills.
 */
export function ConnectionBanner() {
  const link = useAppStore((s) => s.connection.link);
  const relay = useAppStore((s) => s.connection.relay);
  const retryAt = useAppStore((s) => s.connection.retryAt);
  const signedIn = useAppStore((s) => s.session.status === 'signedIn');
  const counting = relay?.state === 'offline' && retryAt !== null;
  const now = useNow(1000, counting);
  const state = bannerState({ link, relay, retryAt, showRelay: signedIn, now });
  const text = useBannerText(state);

  return (
    <div role="status" className={`banner banner--${state.kind}`}>
      {text}
    </div>
  );
}
