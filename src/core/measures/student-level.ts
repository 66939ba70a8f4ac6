/**
 * Tandem stores aggregates only: one numerator (and denominator) per team, measure and period.
 * An upload whose columns name individual students (an id, a name, a birth date, an email …) is
 * refused before a single row is read, so that student records never reach the database, the
 * logs or a backup.
 */

/** Header names (normalised: lower case, letters and digits only) that identify a person. */
const PERSONAL = new Set([
  'student',
  'studentid',
  'studentname',
  'studentnumber',
  'studentno',
  'pupil',
  'pupilid',
  'pupilname',
  'learner',
  'learnerid',
  'learnername',
  'firstname',
  'lastname',
  'surname',
  'givenname',
  'familyname',
  'fullname',
  'middlename',
  'dob',
  'dateofbirth',
  'birthdate',
  'birthday',
  'ssn',
  'socialsecuritynumber',
  'nationalid',
  'email',
  'emailaddress',
  'phone',
  'phonenumber',
  'address',
  'streetaddress',
  'zipcode',
  'postcode',
  'gender',
  'sex',
  'ethnicity',
  'race',
  'lunchstatus',
  'frl',
  'iep',
  'ell',
  'upn',
  'uln',
  'lasid',
  'sasid',
  'localid',
  'stateid',
  'personid',
  'enrollmentid',
  'enrolmentid',
]);

/** Fragments that identify a person wherever they appear in a header (e.g. "Student ID #"). */
const FRAGMENTS = ['student', 'pupil', 'learner', 'birth', 'ssn', 'email', 'firstname', 'lastname'];

/** Columns that together with an id-like column point to one row per student. */
const ROW_LEVEL_WITH_ID = new Set(['grade', 'gradelevel', 'yeargroup', 'homeroom', 'cohort']);
const ID_LIKE = /^(id|\w*(id|number|no|num))$/;

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The headers that look like student-level data, with a reason each; empty when none does.
 * `allowed` headers (the import's own columns) are never flagged.
 *
 * @example studentLevelColumns(['student_id', 'measure', 'period']) → [{ header: 'student_id', … }]
 */
export function studentLevelColumns(
  headers: readonly string[],
  allowed: ReadonlySet<string> = new Set(),
): { header: string; reason: string }[] {
  const found: { header: string; reason: string }[] = [];
  const keys = headers.map(normalise);
  const hasIdLike = keys.some(
    (key, i) => !allowed.has(headers[i]?.trim().toLowerCase() ?? '') && ID_LIKE.test(key),
  );
  headers.forEach((header, i) => {
    if (allowed.has(header.trim().toLowerCase())) return;
    const key = keys[i] as string;
    if (PERSONAL.has(key) || FRAGMENTS.some((fragment) => key.includes(fragment))) {
      found.push({ header, reason: 'names or identifies an individual' });
    } else if (ROW_LEVEL_WITH_ID.has(key) && hasIdLike) {
      found.push({ header, reason: 'a per-person attribute next to an id-like column' });
    }
  });
  return found;
}

export const STUDENT_LEVEL_EXPLANATION =
  'Tandem stores aggregates only: one numerator and denominator per team, measure and period (for example 47 of 60 ninth graders on track in September). Count the students in your own system and upload the totals; do not upload a row per student or any column that identifies a person.';
