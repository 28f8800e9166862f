import type { LayoutServerLoad } from './$types';

// Only for rendering the navigation: every page and action checks its own role.
export const load: LayoutServerLoad = ({ locals }) => ({ user: locals.user });
