import { type ComponentProps, type ReactNode, useId } from 'react';

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
