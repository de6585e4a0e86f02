/**
 * The main window's options. Every web preference that matters for security is spelled out
 * (even where it matches Electron's default) so a reader and the tests can see the whole
 * posture in one place: an isolated, sandboxed renderer with no Node, no <webview>, and no
 * way to relax web security.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Painted before the renderer's first frame, so the window never flashes the wrong theme. */
export const WINDOW_BACKGROUND = { light: '#ffffff', dark: '#17212b' } as const;

export interface WindowOptionsInput {
  /** Absolute path of dist/electron/preload.cjs. */
  preloadPath: string;
  /** nativeTheme.shouldUseDarkColors at creation time. */
  darkTheme: boolean;
}

export function buildWindowOptions({ preloadPath, darkTheme }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Parley',
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    // Shown on ready-to-show, once the first paint is ready.
    show: false,
    backgroundColor: darkTheme ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // Dropping a file on the window must not navigate away from the app.
      navigateOnDragDrop: false,
      // A page that spams alert() gets a checkbox to silence it.
      safeDialogs: true,
      spellcheck: true,
    },
  };
}
