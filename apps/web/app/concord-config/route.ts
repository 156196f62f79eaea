import { socketTarget } from '../../lib/server-config';

export const dynamic = 'force-dynamic';

/** Runtime settings the browser needs and a build cannot know. */
export function GET() {
  return Response.json({ socket: socketTarget() });
}
