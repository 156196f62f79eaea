/** Roles come from @concord/contracts; this module keeps the API's import path for them. */
export { ROLES, isRole, type Role } from '@concord/contracts';
