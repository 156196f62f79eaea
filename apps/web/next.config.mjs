/**
 * GraphQL, images and uploads are forwarded to the API by proxy.ts rather than by `rewrites()`:
 * rewrites are frozen into the build, and one build must serve any API address (tests start
 * an API on a free port per file).
 */
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages ship TypeScript source; Next compiles them like the app's own files.
  transpilePackages: ['@concord/contracts'],
  // Their imports name the emitted file ('./errors.js', as Node's ESM wants); the source beside
  // it is TypeScript, so webpack tries .ts first.
  webpack: (config) => {
    config.resolve.extensionAlias = { ...config.resolve.extensionAlias, '.js': ['.ts', '.tsx', '.js'] };
    return config;
  },
  // Lets the test helper keep builds apart by content hash.
  distDir: process.env.CONCORD_WEB_DIST_DIR || '.next',
};

export default nextConfig;
