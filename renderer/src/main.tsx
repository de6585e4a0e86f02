/**
 * Start-up: language, transport, store, event routing, then the first render. Everything
 * here happens once per page load.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createActions } from './actions/createActions';
import { AppProvider } from './app/AppContext';
import { connectBridge } from './bridge/connectBridge';
import { App } from './components/app/App';
import { NoCoreScreen } from './components/app/NoCoreScreen';
import { startEventRouter } from './sync/eventRouter';
import { watchLink } from './sync/linkWatcher';
import { textDirection } from './i18n/languages';
import { setupI18n } from './i18n/setupI18n';
import { createAppStore } from './store/appStore';
import './styles/theme.css';
import './styles/base.css';

function applyDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
  document.documentElement.dir = textDirection(language);
}

async function start(): Promise<void> {
  const i18n = await setupI18n(navigator.languages);
  applyDocumentLanguage(i18n.language);
  i18n.on('languageChanged', applyDocumentLanguage);

  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root');
  const root = createRoot(container);

  const connected = connectBridge(window);
  if (!connected.ok) {
    root.render(
      <I18nextProvider i18n={i18n}>
        <NoCoreScreen />
      </I18nextProvider>,
    );
    return;
  }

  const { bridge, link } = connected.connection;
  const store = createAppStore();
  const actions = createActions({ bridge, store });
  startEventRouter(bridge, store);
  watchLink(link, store, () => void actions.resync());
  void actions.loadSession();

  root.render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <AppProvider services={{ store, actions }}>
          <App />
        </AppProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void start();
