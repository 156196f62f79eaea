/** Starts Cornerstone3D once per page: core, tools, the Concord image loader. Browser only. */
import { init as coreInit, registerImageLoader, setUseCPURendering } from '@cornerstonejs/core';
import { init as toolsInit, addTool, PanTool, StackScrollTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { registerConcordLoader } from './concord-image-loader';

let ready: Promise<void> | null = null;

/**
 * True when WebGL is a software rasteriser (SwiftShader, llvmpipe): on machines without a GPU,
 * Cornerstone's canvas (CPU) path draws a 2D slice several times faster than emulated WebGL.
 */
function softwareWebGL(): boolean {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
    return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

export function ensureCornerstone(): Promise<void> {
  ready ??= (async () => {
    await coreInit();
    if (softwareWebGL()) setUseCPURendering(true);
    toolsInit();
    registerConcordLoader(registerImageLoader);
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  })();
  return ready;
}
