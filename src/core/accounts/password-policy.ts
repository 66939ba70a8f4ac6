/**
 * Password rules, following NIST SP 800-63B §5.1.1.2 and the OWASP Authentication Cheat Sheet:
 * a minimum length (12 here), no composition rules, and a check against commonly used,
 * expected or compromised values (a short built-in list plus the account's own email and name).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Common passwords of 12+ characters (shorter ones already fail the length rule). */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  'password1234',
  'password12345',
  'passwordpassword',
  'qwertyuiop12',
  'qwertyuiopasdf',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwerty123456',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'administrator',
  'abc123456789',
  'aaaaaaaaaaaa',
  '111111111111',
  '000000000000',
  'changeme1234',
  'trustno11234',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'superman1234',
  'monkey123456',
  'dragon123456',
  'master123456',
  'p@ssw0rd1234',
  'passw0rd1234',
  'correcthorsebatterystaple',
  'tandemtandem',
  'teacher12345',
  'education123',
  'school123456',
]);

/** Why a password is refused, in words for the person choosing it; undefined when it is fine. */
export function passwordProblem(
  password: string,
  context: { email?: string; name?: string } = {},
): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (a few unrelated words work well).`;
  }
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) {
    return 'This password is one of the most commonly used; choose another.';
  }
  const emailName = context.email?.split('@')[0]?.toLowerCase();
  const personal = [emailName, context.name?.toLowerCase().replace(/\s+/g, '')].filter(
    (part): part is string => !!part && part.length >= 4,
  );
  if (personal.some((part) => lower.includes(part))) {
    return 'Do not build the password from your name or email address.';
  }
  return undefined;
}
