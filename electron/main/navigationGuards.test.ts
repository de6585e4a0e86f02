import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applyNavigationGuards } from './navigationGuards';

type Listener = (event: { preventDefault(): void; url?: string }) => void;

/** A WebContents stand-in that records the guards and lets the test fire events at them. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: typeof windowOpenHandler) {
      windowOpenHandler = handler;
    },
  };
  const fire = (name: string, url?: string) => {
    const event = { preventDefault: vi.fn(), url };
    const listener = listeners.get(name);
    if (!listener) throw new Error(`no ${name} guard`);
    listener(event);
    return event;
  };
  const openWindow = (url: string) => {
    if (!windowOpenHandler) throw new Error('no window open handler');
    return windowOpenHandler({ url });
  };
  return { contents: contents as unknown as WebContents, fire, openWindow };
}

describe('navigation guards', () => {
  it('blocks every navigation away from the app and offers the link externally instead', () => {
    const { contents, fire } = fakeContents();
    const openExternally = vi.fn(async (_url: string) => 'cancelled');
    applyNavigationGuards(contents, { openExternally });
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://parley/index.html']) {
      expect(fire('will-navigate', url).preventDefault).toHaveBeenCalled();
    }
    expect(openExternally.mock.calls.map(([url]) => url)).toEqual([
      'https://evil.example/',
      'file:///etc/passwd',
      'app://parley/index.html',
    ]);
  });

  it('blocks redirects and <webview> attachment', () => {
    const { contents, fire } = fakeContents();
    const openExternally = vi.fn();
    applyNavigationGuards(contents, { openExternally });
    expect(fire('will-redirect', 'https://elsewhere.example/').preventDefault).toHaveBeenCalled();
    expect(fire('will-attach-webview').preventDefault).toHaveBeenCalled();
    expect(openExternally).not.toHaveBeenCalled();
  });

  it('never lets the page open a window of its own', () => {
    const { contents, openWindow } = fakeContents();
    const openExternally = vi.fn(async () => 'opened');
    applyNavigationGuards(contents, { openExternally });
    expect(openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(openWindow('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternally).toHaveBeenCalledWith('https://example.com/');
  });
});
