/**
 * The renderer is a single page served from app://parley: it never navigates, never opens
 * windows and never embeds <webview>. Applied to every WebContents the app creates (via
 * app 'web-contents-created'), so a window we did not expect is held to the same rules.
 */
import type { WebContents } from 'electron';

export interface NavigationGuardDeps {
  /** Offer a link to the user's browser (confirmation and scheme checks are its job). */
  openExternally(url: string): Promise<unknown>;
}

export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function applyNavigationGuards(contents: GuardedContents, deps: NavigationGuardDeps): void {
  // A clicked link that would replace the app: stay put, offer it externally instead.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    void deps.openExternally(event.url);
  });
  // A navigation already under way being redirected: nothing of ours redirects.
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    void deps.openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}
