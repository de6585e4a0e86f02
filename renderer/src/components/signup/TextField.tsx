import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'prefix'> {
  label: string;
  hint: string;
  /** Shown instead of the hint, and marks the field invalid. */
  error: string | null;
  /** Decoration before the text (e.g. "@"); hidden from assistive technology. */
  prefix?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input with a hint line that turns into the validation message. */
export function TextField({ label, hint, error, prefix, ref, ...inputProps }: TextFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__control">
        {prefix && (
          <span className="field__prefix" aria-hidden="true">
            {prefix}
          </span>
        )}
        <input
          {...inputProps}
          ref={ref}
          id={id}
          className="field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={messageId}
        />
      </div>
      <p id={messageId} className="field__message">
        {error ?? hint}
      </p>
    </div>
  );
}
