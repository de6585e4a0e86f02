import type { SliceCreator } from './appStore';

export interface UiSlice {
  ui: {
    selectedChatId: string | null;
    /**
     * Unsent composer text per chat or group (their ids never collide: `dm:…`, `g_…`), so
     * switching conversations does not lose what was typed.
     */
    drafts: Readonly<Record<string, string>>;
    /** Per chat or group: the composer is replying to, or editing, this message. */
    compose: Readonly<Record<string, ComposeMode>>;
    /** Per chat: the peer was typing; shown until this time (ms since epoch). */
    typingUntil: Readonly<Record<string, number>>;
  };
  setSelectedChat(chatId: string | null): void;
  setDraft(chatId: string, text: string): void;
  setCompose(chatId: string, mode: ComposeMode | null): void;
  setTyping(chatId: string, until: number | null): void;
}

export interface ComposeMode {
  kind: 'reply' | 'edit';
  messageId: string;
}

/** How long "typing…" stays after the last indicator. */
export const TYPING_SHOWN_MS = 5_000;

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  ui: { selectedChatId: null, drafts: {}, compose: {}, typingUntil: {} },
  setSelectedChat: (chatId) => set((state) => ({ ui: { ...state.ui, selectedChatId: chatId } })),
  setDraft: (chatId, text) =>
    set((state) => {
      const drafts = { ...state.ui.drafts };
      if (text) drafts[chatId] = text;
      else delete drafts[chatId];
      return { ui: { ...state.ui, drafts } };
    }),
  setCompose: (chatId, mode) =>
    set((state) => {
      const compose = { ...state.ui.compose };
      if (mode) compose[chatId] = mode;
      else delete compose[chatId];
      return { ui: { ...state.ui, compose } };
    }),
  setTyping: (chatId, until) =>
    set((state) => {
      const typingUntil = { ...state.ui.typingUntil };
      if (until === null) delete typingUntil[chatId];
      else typingUntil[chatId] = until;
      return { ui: { ...state.ui, typingUntil } };
    }),
});
