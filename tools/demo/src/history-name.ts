export const HISTORY_PROJECT = 'Demo: cervical spine DCM (phantom, with history)';
/** The name a history project carries until its seeding finished (DM2). */
export const HISTORY_INCOMPLETE_PREFIX = `${HISTORY_PROJECT}, interrupted`;
