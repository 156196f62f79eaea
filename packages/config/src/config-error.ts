/** A setting in the environment that Concord cannot use; the message names it and says what it takes. */
export class ConfigError extends Error {}
