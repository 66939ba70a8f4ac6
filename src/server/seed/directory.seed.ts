import type { Rng } from '../../core/random/prng.ts';
import type {
  CreateOrganisationInput,
  OrganisationTypeValue,
} from '../modules/directory/organisation.schemas.ts';
import { createOrganisations } from '../modules/directory/organisation.service.ts';
import type { SeedModule } from './seed-types.ts';

const PLACES = [
  'Riverbend',
  'Northgate',
  'Eastfield',
  'Cedar Hollow',
  'Millbrook',
  'Southport',
  'Lakeview',
  'Harborside',
  'Oak Ridge',
  'Westbrook',
  'Pine Valley',
  'Fairmont',
];
const PEOPLE = [
  'Lincoln',
  'Douglass',
  'Roosevelt',
  'Tubman',
  'Chavez',
  'Bethune',
  'Carver',
  'Franklin',
  'Jefferson',
  'Parks',
  'Mendez',
  'Kennedy',
  'Dewey',
  'Addams',
];
const SCHOOL_KINDS = [
  'Elementary School',
  'Middle School',
  'High School',
  'Academy',
  'K-8 School',
  'Early Learning Center',
];

/** Name patterns per type; `{p}` a place, `{n}` a person's name, `{k}` a school kind. */
const NAMES: Record<OrganisationTypeValue, string[]> = {
  district: ['{p} Unified School District', '{p} Public Schools', '{p} County Schools'],
  school: ['{n} {k}', '{p} {k}'],
  charter_network: [
    '{p} Prep Charter Network',
    'Bright Futures {p} Charter Schools',
    '{n} Charter Collaborative',
  ],
  nonprofit: [
    '{p} Reads',
    'Mentor {p}',
    '{p} Youth Alliance',
    'Graduate {p}',
    '{n} Tutoring Corps',
  ],
  intermediary: ['{p} Education Fund', 'Center for {p} Schools', '{p} Improvement Hub'],
  funder: ['{n} Family Foundation', '{p} Community Foundation', '{p} Children’s Trust'],
  university: ['{p} State University', 'University of {p}', '{n} College of Education'],
  agency: [
    '{p} County Office of Education',
    '{p} Department of Youth Services',
    'State Department of Education ({p} region)',
  ],
  network: ['{p} Principals Network', '{p} Literacy Coaches Network', '{p} Counselors Network'],
  community_organisation: [
    '{p} Parents United',
    '{p} Public Library',
    '{n} Community Center',
    '{p} Family Resource Center',
  ],
};

/** Small: ~30 organisations, every type present (districts and schools the most common). */
const SMALL_MIX: [OrganisationTypeValue, number][] = [
  ['district', 3],
  ['school', 10],
  ['charter_network', 1],
  ['nonprofit', 5],
  ['intermediary', 2],
  ['funder', 3],
  ['university', 2],
  ['agency', 2],
  ['network', 1],
  ['community_organisation', 3],
];

const LARGE_TOTAL = 10_000;
const BATCH = 1000;

export const directorySeed: SeedModule = {
  name: 'directory',
  async run({ ctx, viewer, size, rng, progress, checkpoint }) {
    const organisations = size === 'small' ? smallDirectory(rng) : largeDirectory(rng);
    for (let start = 0; start < organisations.length; start += BATCH) {
      await checkpoint();
      await createOrganisations(ctx, viewer, organisations.slice(start, start + BATCH));
      progress(Math.min(start + BATCH, organisations.length), organisations.length);
    }
  },
};

function smallDirectory(rng: Rng): CreateOrganisationInput[] {
  const used = new Set<string>();
  const ids = ncesIds(rng);
  return SMALL_MIX.flatMap(([type, count]) =>
    Array.from({ length: count }, () => {
      let name = nameFor(type, rng);
      while (used.has(name)) name = nameFor(type, rng);
      used.add(name);
      return { name, type, nces_id: ids(type), visibility: visibilityFor(type) };
    }),
  );
}

function largeDirectory(rng: Rng): CreateOrganisationInput[] {
  const ids = ncesIds(rng);
  const weights = SMALL_MIX.map(([, w]) => w);
  const total = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: LARGE_TOTAL }, (_, i) => {
    const type = weightedPick(rng, total);
    // A numeric suffix keeps 10k generated names distinct and sortable.
    return {
      name: `${nameFor(type, rng)} ${i + 1}`,
      type,
      nces_id: ids(type),
      visibility: visibilityFor(type),
    };
  });
}

/** Most of the directory is public; funders' and agencies' entries stay in the coalition. */
const visibilityFor = (type: OrganisationTypeValue) =>
  type === 'funder' || type === 'agency' ? ('coalition' as const) : ('public' as const);

/** Types drawn in the proportions of the small mix. */
function weightedPick(rng: Rng, total: number): OrganisationTypeValue {
  let roll = rng.next() * total;
  for (const [type, weight] of SMALL_MIX) {
    roll -= weight;
    if (roll < 0) return type;
  }
  return 'school';
}

function nameFor(type: OrganisationTypeValue, rng: Rng): string {
  return rng
    .pick(NAMES[type])
    .replace('{p}', rng.pick(PLACES))
    .replace('{n}', rng.pick(PEOPLE))
    .replace('{k}', rng.pick(SCHOOL_KINDS));
}

/** NCES ids: districts get 7-digit LEA ids, schools 12-digit ones; unique by construction. */
function ncesIds(rng: Rng) {
  let nextDistrict = 600_000 + rng.int(0, 99_999) * 10;
  let nextSchool = 60_000_000_000 + rng.int(0, 999_999) * 100;
  return (type: OrganisationTypeValue): string | null => {
    if (type === 'district') return String(nextDistrict++).padStart(7, '0');
    if (type === 'school') return String(nextSchool++).padStart(12, '0');
    return null;
  };
}
