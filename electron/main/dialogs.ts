/** The main process's own dialogs (the only UI not drawn by the renderer). */
import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';

/** Asks before a link leaves the app; the full URL is shown so the user sees where it goes. */
export async function confirmExternalLink(parent: BrowserWindow | null, url: string): Promise<boolean> {
  const options: MessageBoxOptions = {
    type: 'question',
    title: 'Open link',
    message: 'Open this link outside Parley?',
    detail: url,
    buttons: ['Open', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return response === 0;
}
