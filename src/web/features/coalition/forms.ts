import { type RefObject, useEffect } from 'react';
import { ApiError } from '../../api/client.ts';

/**
 * A form's errors: the server's field errors (400/409/422 `errors[]`, by field) under the
 * client's own checks, and whether a failure is left that no field explains (shown above the
 * buttons).
 */
export function formErrors(
  error: unknown,
  clientErrors: Record<string, string>,
  fields: readonly string[],
) {
  const server =
    error instanceof ApiError && [400, 409, 422].includes(error.status) ? error.fieldErrors() : {};
  const errors: Record<string, string> = { ...server, ...clientErrors };
  const explained = fields.some((f) => errors[f]);
  const unexplained = error !== null && error !== undefined && !explained ? error : undefined;
  return { errors, unexplained };
}

/** After a failed submit, takes the keyboard to the first field that needs fixing. */
export function useFocusFirstInvalid(
  formRef: RefObject<HTMLFormElement | null>,
  attempt: number,
  error: unknown,
) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when a submit's errors arrive
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, error]);
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 412;
}

export function isStatus(error: unknown, status: number): boolean {
  return error instanceof ApiError && error.status === status;
}
