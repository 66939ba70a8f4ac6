import { createCoalition } from '../modules/coalition/coalition.service.ts';
import type { SeedModule } from './seed-types.ts';

export const coalitionSeed: SeedModule = {
  name: 'coalition',
  async run({ ctx, progress }) {
    await createCoalition(ctx, {
      name: 'Riverbend Education Partnership',
      slug: 'riverbend',
      description:
        'A city-wide partnership of the Riverbend school districts, schools, nonprofits, funders and ' +
        'researchers improving 9th-grade on-track rates and early literacy together. (Demo data.)',
    });
    progress(1, 1);
  },
};
