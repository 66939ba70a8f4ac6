import { type ComponentProps, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Button } from './Button.tsx';

interface FieldOwnProps {
  label: ReactNode;
  /** Help shown under the label, e.g. the expected format. */
  hint?: ReactNode;
  /** The message shown when the value is wrong; sets aria-invalid. */
  error?: string | undefined;
  /** Marks the label "(optional)"; required fields are the default and are not marked. */
  optional?: boolean;
}

interface FieldFrameProps extends FieldOwnProps {
  id: string;
  hintId: string;
  errorId: string;
  children: ReactNode;
}

function FieldFrame({
  id,
  hintId,
  errorId,
  label,
  hint,
  error,
  optional,
  children,
}: FieldFrameProps) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
        {optional && <span className="field__optional"> (optional)</span>}
      </label>
      {hint && (
        <div className="field__hint" id={hintId}>
          {hint}
        </div>
      )}
      {children}
      {error && (
        <div className="field__error" id={errorId}>
          {error}
        </div>
      )}
    </div>
  );
}

/** The ids and aria attributes shared by every field control. */
function useFieldIds(props: FieldOwnProps & { id?: string | undefined }) {
  const generated = useId();
  const id = props.id ?? generated;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : undefined, props.error ? errorId : undefined]
    .filter(Boolean)
    .join(' ');
  return {
    frame: { id, hintId, errorId },
    control: {
      id,
      'aria-invalid': props.error ? (true as const) : undefined,
      'aria-describedby': describedBy || undefined,
    },
  };
}

export type TextFieldProps = FieldOwnProps & Omit<ComponentProps<'input'>, 'children'>;

export function TextField({ label, hint, error, optional, className, ...input }: TextFieldProps) {
  const { frame, control } = useFieldIds({ label, hint, error, optional, id: input.id });
  return (
    <FieldFrame {...frame} label={label} hint={hint} error={error} optional={optional}>
      <input
        type="text"
        className={['input', className].filter(Boolean).join(' ')}
        {...input}
        {...control}
      />
    </FieldFrame>
  );
}

export type TextareaProps = FieldOwnProps & Omit<ComponentProps<'textarea'>, 'children'>;

export function Textarea({ label, hint, error, optional, className, ...textarea }: TextareaProps) {
  const { frame, control } = useFieldIds({ label, hint, error, optional, id: textarea.id });
  return (
    <FieldFrame {...frame} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        className={['input', className].filter(Boolean).join(' ')}
        {...textarea}
        {...control}
      />
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

export type SelectProps = FieldOwnProps &
  Omit<ComponentProps<'select'>, 'children'> & {
    options: readonly SelectOption[];
    /** A first, empty choice such as "All types" or "Choose a type". */
    placeholder?: string;
  };

export function Select({
  label,
  hint,
  error,
  optional,
  options,
  placeholder,
  className,
  ...select
}: SelectProps) {
  const { frame, control } = useFieldIds({ label, hint, error, optional, id: select.id });
  return (
    <FieldFrame {...frame} label={label} hint={hint} error={error} optional={optional}>
      <select className={['input', className].filter(Boolean).join(' ')} {...select} {...control}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export type PasswordFieldProps = FieldOwnProps &
  Omit<ComponentProps<'input'>, 'children' | 'type' | 'ref'>;

/**
 * A password input with a Show/Hide button (GOV.UK's pattern): the button says what it will do,
 * a hidden status announces the change, and submitting the form hides the password again so that
 * it is never left on screen and password managers see a password field.
 */
export function PasswordField({
  label,
  hint,
  error,
  optional,
  className,
  ...input
}: PasswordFieldProps) {
  const { frame, control } = useFieldIds({ label, hint, error, optional, id: input.id });
  const [shown, setShown] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const form = inputRef.current?.form;
    if (!form) return;
    const hide = () => {
      setShown(false);
      setAnnouncement('');
    };
    form.addEventListener('submit', hide);
    return () => form.removeEventListener('submit', hide);
  }, []);

  return (
    <FieldFrame {...frame} label={label} hint={hint} error={error} optional={optional}>
      <div className="input-group">
        <input
          ref={inputRef}
          className={['input', className].filter(Boolean).join(' ')}
          spellCheck={false}
          autoCapitalize="none"
          {...input}
          {...control}
          type={shown ? 'text' : 'password'}
        />
        <Button
          className="input-group__button"
          aria-controls={frame.id}
          onClick={() => {
            setShown(!shown);
            setAnnouncement(shown ? 'Your password is hidden' : 'Your password is visible');
          }}
        >
          {shown ? 'Hide' : 'Show'}
          <span className="visually-hidden"> password</span>
        </Button>
      </div>
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
    </FieldFrame>
  );
}

export interface RadioOption<V extends string> {
  value: V;
  label: ReactNode;
  /** A line under the label saying what the choice means. */
  hint?: ReactNode;
}

export interface RadioGroupProps<V extends string> extends FieldOwnProps {
  name: string;
  options: readonly RadioOption<V>[];
  value: V;
  onChange: (value: V) => void;
}

/** One choice out of a few, all visible: a fieldset whose legend is the question. */
export function RadioGroup<V extends string>({
  label,
  hint,
  error,
  name,
  options,
  value,
  onChange,
}: RadioGroupProps<V>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined]
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset className="field radio-group" aria-describedby={describedBy || undefined}>
      <legend className="field__label">{label}</legend>
      {hint && (
        <div className="field__hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field__error" id={errorId}>
          {error}
        </div>
      )}
      {options.map((option) => {
        const optionId = `${id}-${option.value}`;
        return (
          <div className="radio" key={option.value}>
            <input
              className="radio__input"
              type="radio"
              id={optionId}
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-describedby={option.hint ? `${optionId}-hint` : undefined}
            />
            <label className="radio__label" htmlFor={optionId}>
              {option.label}
            </label>
            {option.hint && (
              <div className="radio__hint" id={`${optionId}-hint`}>
                {option.hint}
              </div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

export interface CopyFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  value: string;
  /** Names what is copied, e.g. "token", in the button and the announcement. */
  what?: string;
  id?: string;
}

/**
 * A read-only value to copy, e.g. a secret shown once: the text is selectable and a Copy button
 * puts it on the clipboard and says so. Where the clipboard is unavailable the text is selected,
 * so Ctrl+C (⌘C) copies it.
 */
export function CopyField({ label, hint, value, what = 'value', id }: CopyFieldProps) {
  const { frame, control } = useFieldIds({ label, hint, id });
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus(`Copied the ${what} to the clipboard.`);
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setStatus(
        `Could not reach the clipboard: the ${what} is selected, press Ctrl+C (⌘C) to copy it.`,
      );
    }
  };

  return (
    <FieldFrame {...frame} label={label} hint={hint}>
      <div className="input-group">
        <input
          ref={inputRef}
          className="input mono"
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
          {...control}
        />
        <Button className="input-group__button" onClick={copy}>
          Copy<span className="visually-hidden"> the {what}</span>
        </Button>
      </div>
      <div className="field__hint" role="status">
        {status}
      </div>
    </FieldFrame>
  );
}
