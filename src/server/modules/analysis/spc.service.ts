import { analyzeSpc, SpcInputInvalid, type SpcResponse } from '../../../core/spc/index.ts';
import { requireSignedIn, type Viewer } from '../../platform/access.ts';
import { validationFailed } from '../../platform/errors.ts';

/**
 * Stateless SPC analysis of the posted series. Nothing is read or stored, but the caller must be
 * signed in (cookie or API token): the analysis API is for the coalition's members, while the
 * public chart studio runs the same engine in the visitor's browser.
 */
export function analyseSeries(viewer: Viewer, body: unknown): SpcResponse {
  requireSignedIn(viewer);
  try {
    return analyzeSpc(body);
  } catch (error) {
    if (error instanceof SpcInputInvalid) {
      throw validationFailed(
        error.errors.map((e) => ({ path: `/body${e.path}`, message: e.message })),
      );
    }
    throw error;
  }
}
