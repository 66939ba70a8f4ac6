import type { RoutePlugin } from '../../platform/http-types.ts';

/** Placeholder: filled in by the improvement workspace (issue 6). */
export const projectRoutes: RoutePlugin = () => {};
