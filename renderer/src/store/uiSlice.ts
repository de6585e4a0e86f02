import type { SliceCreator } from './appStore';

export interface UiSlice {
  ui: {
    selectedChatId: string | null;
    /** Unsent composer text per chat, so switching chats does not lose what was typed. */
    drafts: Readonly<Record<string, string>>;
  };
  setSelectedChat(chatId: string | null): void;
  setDraft(chatId: string, text: string): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  ui: { selectedChatId: null, drafts: {} },
  setSelectedChat: (chatId) => set((state) => ({ ui: { ...state.ui, selectedChatId: chatId } })),
  setDraft: (chatId, text) =>
    set((state) => {
      const drafts = { ...state.ui.drafts };
      if (text) drafts[chatId] = text;
      else delete drafts[chatId];
      return { ui: { ...state.ui, drafts } };
    }),
});
