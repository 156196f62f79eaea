/** Starts Cornerstone3D once per page: core, tools, the Concord image loader. Browser only. */
import { init as coreInit, registerImageLoader } from '@cornerstonejs/core';
import { init as toolsInit, addTool, PanTool, StackScrollTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { registerConcordLoader } from './concord-image-loader';

let ready: Promise<void> | null = null;

export function ensureCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    toolsInit();
    registerConcordLoader(registerImageLoader);
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  })();
  return ready;
}
