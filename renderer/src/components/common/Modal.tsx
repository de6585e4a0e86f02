import { useEffect, useRef, type KeyboardEvent, type MouseEvent, type ReactNode, type RefObject } from 'react';
import { focusableIn, wrapTabFocus } from './focusable';
import './Modal.css';

interface ModalProps {
  /** The id of the element that names the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  /** alertdialog for confirmations that interrupt (resetting keys). */
  role?: 'dialog' | 'alertdialog';
  /** Esc, a click on the backdrop, or a close button: the owner unmounts the modal. */
  onClose(): void;
  /** Where focus goes when it opens; else the first control. */
  initialFocus?: RefObject<HTMLElement | null>;
  className?: string;
  children: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element (shown with showModal(): the rest of the
 * page is inert and it sits in the top layer). Focus moves in when it opens, Tab wraps
 * within it, Esc closes it, and focus returns to whatever opened it.
 */
export function Modal({
  labelledBy,
  describedBy,
  role = 'dialog',
  onClose,
  initialFocus,
  className,
  children,
}: ModalProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target = initialFocus?.current ?? focusableIn(dialog)[0] ?? dialog;
    target.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may be gone (a virtualized row scrolled away); then focus stays where the browser puts it.
      if (opener?.isConnected) opener.focus();
    };
    // Opened once per mount; initialFocus is a ref.
  }, [initialFocus]);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (dialogRef.current) wrapTabFocus(event, dialogRef.current);
  };

  // A click on the <dialog> element itself (not its content) is a click on the backdrop.
  const onClick = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget) onCloseRef.current();
  };

  return (
    <dialog
      ref={dialogRef}
      className={['modal', className].filter(Boolean).join(' ')}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        // Esc: the owner decides (it unmounts us), so the element never closes behind React's back.
        event.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <div className="modal__content">{children}</div>
    </dialog>
  );
}
