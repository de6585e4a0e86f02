import { describe, expect, it } from 'vitest';
import { buildWindowOptions, WINDOW_BACKGROUND } from './windowOptions';

describe('main window options', () => {
  const options = buildWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', darkTheme: false });

  it('isolates and sandboxes the renderer, with no Node and no way to relax web security', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });

  it('stays hidden until the first paint, with a usable minimum size', () => {
    expect(options.show).toBe(false);
    expect(options.minWidth).toBeGreaterThanOrEqual(480);
    expect(options.minHeight).toBeGreaterThanOrEqual(360);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth!);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight!);
  });

  it('paints the background of the current theme', () => {
    expect(options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(buildWindowOptions({ preloadPath: '/p', darkTheme: true }).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });
});
