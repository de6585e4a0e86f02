import { useLayoutEffect, type KeyboardEvent, type RefObject } from 'react';
import { SendIcon } from '../icons/SendIcon';

export interface ComposerBoxProps {
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  value: string;
  onChange(value: string): void;
  /** Keys the composer handles before Enter-to-send (Escape, Up…); true when handled. */
  onKey?(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  /** Enter (or the send button, through the form's submit) with something to send. */
  onSend(): void;
  label: string;
  placeholder: string;
  sendLabel: string;
}

/**
 * The text box and round send button shared by the 1:1 and group composers: grows with
 * its text, Enter sends, Shift+Enter starts a new line. The caller's <form> handles submit.
 */
export function ComposerBox({
  textareaRef,
  value,
  onChange,
  onKey,
  onSend,
  label,
  placeholder,
  sendLabel,
}: ComposerBoxProps) {
  const canSend = value.trim().length > 0;

  // Fit the height to the text (CSSOM, allowed by the CSP, unlike a style attribute).
  useLayoutEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    textarea.style.blockSize = 'auto';
    textarea.style.blockSize = `${textarea.scrollHeight}px`;
  }, [value, textareaRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (onKey?.(event)) return;
    // While an input method is composing, Enter confirms the composition, not the message.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (canSend) onSend();
  };

  return (
    <div className="composer__box">
      <textarea
        ref={textareaRef}
        className="composer__input"
        rows={1}
        // Typing Arabic in an English UI (or the reverse) lays out the way it is written.
        dir="auto"
        aria-label={label}
        placeholder={placeholder}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="composer__send" disabled={!canSend} aria-label={sendLabel}>
        <SendIcon />
      </button>
    </div>
  );
}
