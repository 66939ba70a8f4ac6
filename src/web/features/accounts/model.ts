import type { BodyOf, ResponseOf } from '../../api/client.ts';

export type Me = ResponseOf<'get', '/api/v1/me'>;
export type SignInBody = BodyOf<'post', '/api/v1/auth/sign-in'>;
export type SessionPage = ResponseOf<'get', '/api/v1/me/sessions'>;
export type Session = SessionPage['items'][number];
export type ApiTokenPage = ResponseOf<'get', '/api/v1/me/tokens'>;
export type ApiToken = ApiTokenPage['items'][number];
export type CreateApiTokenBody = BodyOf<'post', '/api/v1/me/tokens'>;
export type CreatedApiToken = ResponseOf<'post', '/api/v1/me/tokens'>;
export type TokenScope = ApiToken['scope'];
/** Your own account as `GET /api/v1/users/{id}` describes it: with its version (the ETag). */
export type Account = ResponseOf<'get', '/api/v1/users/{id}'>;
export type ChangePasswordBody = BodyOf<'post', '/api/v1/me/password'>;

export const SIGN_IN_PATH = '/sign-in';

/**
 * The `?next=` path to go to after signing in, when it is a path on this site; `fallback`
 * otherwise. Only a single leading slash is accepted: `//host`, `/\host`, `https://…` and
 * `javascript:` would leave the site (an open redirect), and going back to the sign-in page
 * would loop.
 */
export function safeNextPath(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return fallback;
  }
  // Control characters and backslashes are never needed in our paths, and browsers treat a
  // backslash as a slash ("/\\evil.example").
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  const base = 'https://tandem.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  if (url.pathname === SIGN_IN_PATH) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/sign-in?next=<path>`: the way back to `path` after signing in. */
export function signInPath(next?: string): string {
  const safe = next ? safeNextPath(next, '') : '';
  return safe && safe !== '/' ? `${SIGN_IN_PATH}?next=${encodeURIComponent(safe)}` : SIGN_IN_PATH;
}

/** "15 minutes", "1 minute", "40 seconds": how long to wait, rounded up to whole minutes. */
export function waitText(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? '1 second' : `${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hours`;
}

export const SCOPE_LABELS: Record<TokenScope, string> = {
  read: 'Read only',
  read_write: 'Read and write',
};

export const SCOPE_HINTS: Record<TokenScope, string> = {
  read: 'Can look at everything you can see; cannot change anything. Best for reports and exports.',
  read_write:
    'Can do everything you can do, including changing and deleting records. Use it only for tools that must write.',
};

export const SCOPE_OPTIONS = (Object.keys(SCOPE_LABELS) as TokenScope[]).map((value) => ({
  value,
  label: SCOPE_LABELS[value],
  hint: SCOPE_HINTS[value],
}));

/** The expiry choices; the API accepts 1–365 days, or none for a token that never expires. */
export const EXPIRY_OPTIONS = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year (365 days)' },
  { value: 'never', label: 'Never' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_OPTIONS)[number]['value'];
export const DEFAULT_EXPIRY: ExpiryChoice = '90';

export function isExpiryChoice(value: string): value is ExpiryChoice {
  return EXPIRY_OPTIONS.some((o) => o.value === value);
}

export interface TokenFormValues {
  name: string;
  scope: TokenScope;
  expiry: ExpiryChoice;
}

export const EMPTY_TOKEN_FORM: TokenFormValues = {
  name: '',
  scope: 'read',
  expiry: DEFAULT_EXPIRY,
};

export const TOKEN_NAME_MAX = 100;

export function validateTokenForm(values: TokenFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (!name) errors.name = 'Enter a name that says what will use this token.';
  else if (name.length > TOKEN_NAME_MAX)
    errors.name = `Use at most ${TOKEN_NAME_MAX} characters (this one has ${name.length}).`;
  return errors;
}

export function tokenBodyOf(values: TokenFormValues): CreateApiTokenBody {
  return {
    name: values.name.trim(),
    scope: values.scope,
    ...(values.expiry === 'never' ? {} : { expires_in_days: Number(values.expiry) }),
  };
}

/** True when the token's expiry time has passed. */
export function isExpired(token: ApiToken, now: number = Date.now()): boolean {
  return token.expires_at !== null && Date.parse(token.expires_at) <= now;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/curl\//, 'curl'],
  [/node|undici/i, 'Node.js'],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Windows" from a User-Agent header; "Unknown browser" when there is none. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown browser';
}

/** "AL" for "Ada Lovelace": the initials shown in the header's account button. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

// Sign-in options, password reset and invitations -------------------------------------------

export type SignInOptions = ResponseOf<'get', '/api/v1/auth/options'>;
export type DemoRole = SignInOptions['demo_roles'][number];
export type InvitationPreview = ResponseOf<'post', '/api/v1/invitations/preview'>;
export type InvitedRole = InvitationPreview['role'];
export type AcceptInvitationBody = BodyOf<'post', '/api/v1/invitations/accept'>;
export type PasswordResetConfirmBody = BodyOf<'post', '/api/v1/auth/password-reset/confirm'>;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** The password policy in words, shown under every "choose a password" field. */
export const PASSWORD_POLICY_HINT =
  'At least 12 characters. A few unrelated words work well. Not a commonly used password, and not built from your name or email address.';

/** An invited role's name, as a label. */
export const INVITED_ROLE_LABELS: Record<InvitedRole, string> = {
  hub_facilitator: 'Hub facilitator',
  team_member: 'Team member',
  reviewer: 'Practice reviewer',
  partner: 'Partner',
};

/** An invited role with its article, as it reads in a sentence: "as a team member". */
export const INVITED_ROLE_PHRASES: Record<InvitedRole, string> = {
  hub_facilitator: 'a hub facilitator',
  team_member: 'a team member',
  reviewer: 'a practice reviewer',
  partner: 'a partner',
};

/** What each role does, in one line for the person deciding whether to accept. */
export const INVITED_ROLE_HINTS: Record<InvitedRole, string> = {
  hub_facilitator:
    'Hub facilitators set up networks and teams, invite people and follow every team’s work.',
  team_member: 'Team members run tests of change and record their team’s measures.',
  reviewer: 'Practice reviewers read the evidence behind practices and rate them.',
  partner:
    'Partners — funders, policy makers and other organisations — follow what the coalition shares with its members.',
};

/**
 * Checks a new password and its confirmation before they are sent: what the person can fix
 * without asking the server. The server applies the full policy (common passwords, name, email).
 */
export function validateNewPassword(password: string, confirm: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!password) errors.password = 'Choose a password.';
  else if (password.length < MIN_PASSWORD_LENGTH)
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length}).`;
  else if (password.length > MAX_PASSWORD_LENGTH)
    errors.password = `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (!errors.password && confirm !== password)
    errors.confirm = confirm ? 'The two passwords are not the same.' : 'Type the password again.';
  return errors;
}

/** The secret in a link's fragment (`#<token>`), or null when there is none. */
export function tokenFromHash(hash: string): string | null {
  const token = hash.replace(/^#/, '').trim();
  // The API's secrets are base64url; anything else cannot be one (and is not worth sending).
  return /^[A-Za-z0-9_-]{16,200}$/.test(token) ? token : null;
}

/** The same two addresses, whatever their case and surrounding spaces. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

// Your name and password, on the profile ----------------------------------------------------

export interface PasswordChangeValues {
  current_password: string;
  new_password: string;
  confirm: string;
}

export const EMPTY_PASSWORD_CHANGE: PasswordChangeValues = {
  current_password: '',
  new_password: '',
  confirm: '',
};

/**
 * Checks the change-password form before it is sent, keyed by field: the current password is
 * given, the new one is long enough, differs from the current one and is typed the same twice.
 */
export function validatePasswordChange(values: PasswordChangeValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.current_password) errors.current_password = 'Enter your current password.';
  const found = validateNewPassword(values.new_password, values.confirm);
  if (found.password) errors.new_password = found.password;
  else if (values.current_password && values.new_password === values.current_password)
    errors.new_password = 'Choose a password that is different from your current one.';
  if (found.confirm) errors.confirm = found.confirm;
  return errors;
}

/** What the server's terse words for a wrong current password mean, as a sentence. */
const SERVER_PASSWORD_MESSAGES: Record<string, string> = {
  'is not your password': 'This is not your current password. Check it and type it again.',
};

/** The server's field errors for the change-password form, in words for the person. */
export function passwordChangeFieldErrors(
  serverErrors: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(serverErrors)) {
    errors[field] = SERVER_PASSWORD_MESSAGES[message] ?? message;
  }
  return errors;
}
