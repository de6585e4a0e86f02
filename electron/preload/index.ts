/**
 * Preload entry (bundled to dist/electron/preload.cjs). Runs sandboxed, before the page,
 * with access to Electron's contextBridge and ipcRenderer only; exposes the contract API.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeBridge } from './bridge';

exposeBridge(contextBridge, ipcRenderer);
