import type { Migration } from 'kysely';
import * as m20261123090000 from './20261123090000_coalition_and_organisations.ts';
import * as m20261123120000 from './20261123120000_accounts.ts';
import * as m20261123130000 from './20261123130000_api_tokens.ts';
import * as m20261124090000 from './20261124090000_structure_access_audit.ts';
import * as m20261125090000 from './20261125090000_improvement.ts';
import * as m20261126090000 from './20261126090000_measure_value_keys.ts';

/**
 * The ordered registry of migrations. A static list (not a directory scan) so that the bundled
 * and the tsx-run server see the same set. Add new files at the end; never edit a landed one.
 */
export const migrations: Record<string, Migration> = {
  '20261123090000_coalition_and_organisations': m20261123090000,
  '20261123120000_accounts': m20261123120000,
  '20261123130000_api_tokens': m20261123130000,
  '20261124090000_structure_access_audit': m20261124090000,
  '20261125090000_improvement': m20261125090000,
  '20261126090000_measure_value_keys': m20261126090000,
};
