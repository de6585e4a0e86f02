/** A message as one line of a chat-list preview: whitespace runs (newlines too) collapse to a space. */
export function previewText(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
