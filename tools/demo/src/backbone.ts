/**
 * The demo's backbone, chosen as `npm run simulate` chooses (DM4): without pretrained weights a
 * ResNet50 learns nothing, so the `pixels` stand-in is used and said so; CONCORD_BACKBONE, or
 * weights in CONCORD_BACKBONE_WEIGHTS, choose the network. The result is environment for the
 * trainer's own reading (backboneOptionsFromEnv), given to the history seeding and to the demo's
 * trainer alike, so rounds triggered by visitors use the features the history used.
 * No trainer import here: the API side of the demo starts without TensorFlow.js.
 */
export function demoBackbone(env: NodeJS.ProcessEnv = process.env): { note: string; env: Record<string, string> } {
  if (env.CONCORD_BACKBONE || env.CONCORD_BACKBONE_WEIGHTS) {
    const kind = env.CONCORD_BACKBONE || 'resnet50';
    return {
      note: `${kind} (from the environment${env.CONCORD_BACKBONE_WEIGHTS ? ', weights configured' : kind === 'pixels' ? '' : ', RANDOM weights'})`,
      env: {},
    };
  }
  return {
    note: '"pixels" stand-in (fixed pooled pixels, not a network: no CONCORD_BACKBONE_WEIGHTS configured; the product default stays resnet50)',
    env: { CONCORD_BACKBONE: 'pixels' },
  };
}
