import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REACTIONS, type Reaction } from '../../format/lifecycle';
import type { BubbleMessage } from './bubbleMessage';
import './Lifecycle.css';

export type MessageMenuAction = 'reply' | 'edit' | 'copy' | 'forward' | 'delete';

interface MessageMenuProps {
  message: BubbleMessage;
  at: { x: number; y: number };
  /** False where we can no longer write (a group we left): no reactions, Reply or Edit. */
  canWrite?: boolean;
  onAction(action: MessageMenuAction): void;
  onReact(emoji: Reaction | ''): void;
  onClose(): void;
}

/**
 * The actions of one message (1:1 or group): a row of reactions, then Reply, Edit (own
 * messages), Copy, Forward (not for self-destructing messages), Delete…. A WAI-ARIA menu:
 * focus moves in, arrow keys move between items, Esc or a click elsewhere closes it.
 */
export function MessageMenu({ message, at, canWrite = true, onAction, onReact, onClose }: MessageMenuProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const isText = (message.kind ?? 'text') === 'text';
  const mine = message.reactions?.find((r) => r.mine)?.emoji;

  useEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    // Keep it inside the window.
    const rect = menu.getBoundingClientRect();
    menu.style.insetInlineStart = `${Math.max(8, Math.min(at.x, window.innerWidth - rect.width - 8))}px`;
    menu.style.insetBlockStart = `${Math.max(8, Math.min(at.y, window.innerHeight - rect.height - 8))}px`;
    menu.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const onDown = (event: PointerEvent) => {
      if (!menu.contains(event.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [at, onClose]);

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') {
      event.preventDefault();
      items[(index + 1) % items.length]?.focus();
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') {
      event.preventDefault();
      items[(index - 1 + items.length) % items.length]?.focus();
    } else if (event.key === 'Tab') {
      onClose();
    }
  };

  const item = (action: MessageMenuAction, label: string) => (
    <button type="button" role="menuitem" className="message-menu__item" onClick={() => onAction(action)}>
      {label}
    </button>
  );

  return (
    <div ref={ref} className="message-menu" role="menu" aria-label={t('lifecycle.menu')} onKeyDown={onKeyDown}>
      {isText && canWrite && (
        <div className="message-menu__reactions" role="group">
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitem"
              className={`message-menu__reaction${mine === emoji ? ' message-menu__reaction--mine' : ''}`}
              aria-label={t('lifecycle.reactWith', { emoji })}
              onClick={() => onReact(mine === emoji ? '' : emoji)}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      {isText && canWrite && item('reply', t('lifecycle.reply'))}
      {isText && canWrite && message.fromMe && item('edit', t('lifecycle.edit'))}
      {isText && item('copy', t('lifecycle.copy'))}
      {isText && !message.expiresIn && item('forward', t('lifecycle.forward'))}
      {item('delete', t('lifecycle.delete'))}
    </div>
  );
}
