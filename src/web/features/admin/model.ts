import type { BodyOf, ResponseOf } from '../../api/client.ts';

export type User = ResponseOf<'get', '/api/v1/users/{id}'>;
export type UpdateUserBody = NonNullable<BodyOf<'patch', '/api/v1/users/{id}'>>;

export const DISPLAY_NAME_MAX = 200;

export function validateDisplayName(name: string): string | undefined {
  if (!name.trim()) return 'Enter a name.';
  if (name.trim().length > DISPLAY_NAME_MAX) return `Use at most ${DISPLAY_NAME_MAX} characters.`;
  return undefined;
}
