import { useAppStore } from '../../app/AppContext';
import { ConnectionBanner } from '../connection/ConnectionBanner';
import { MainScreen } from '../main/MainScreen';
import { SignUpScreen } from '../signup/SignUpScreen';
import { Splash } from './Splash';

/** The connection banner over whichever screen the session calls for. */
export function App() {
  const status = useAppStore((s) => s.session.status);
  return (
    <div className="app">
      <ConnectionBanner />
      <div className="app__body">
        {status === 'loading' && <Splash />}
        {status === 'signedOut' && <SignUpScreen />}
        {status === 'signedIn' && <MainScreen />}
      </div>
    </div>
  );
}
