/**
 * Active-learning strategies (services/trainer/SPEC.md TR7, TR24, TR25): the one list the API
 * validates, the trainer runs and the web offers.
 */
export const AL_STRATEGIES = ['entropy', 'bald', 'margin', 'random', 'badge', 'balanced'] as const;
export type Strategy = (typeof AL_STRATEGIES)[number];

/**
 * What a lead is offered. margin is left out: for one sigmoid output 1 − |2p − 1| and the entropy
 * H(p) are both decreasing in |p − ½|, so margin ranks every slice exactly as entropy does.
 * Projects that chose it keep it.
 */
export const LEAD_STRATEGIES: readonly Strategy[] = ['entropy', 'bald', 'badge', 'balanced', 'random'];

export function isStrategy(s: unknown): s is Strategy {
  return typeof s === 'string' && (AL_STRATEGIES as readonly string[]).includes(s);
}
