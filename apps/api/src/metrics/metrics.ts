import type { ServerResponse } from 'node:http';
import client from 'prom-client';
import type { Request, Response, NextFunction } from 'express';
import type { Sql } from '@concord/db';
import type { RealtimeHub } from '../realtime/hub.js';

/**
 * Prometheus metrics. Labels are route patterns and operation names only: ids and anything
 * patient-related never become label values (they would also explode cardinality).
 */
export function createMetrics(sql: Sql, hub: () => RealtimeHub | undefined) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpLatency = new client.Histogram({
    name: 'concord_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const graphqlLatency = new client.Histogram({
    name: 'concord_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const labels = new client.Counter({ name: 'concord_labels_total', help: 'Labels stored (rate() gives labels/min)', registers: [registry] });
  new client.Gauge({
    name: 'concord_sockets',
    help: 'Connected Socket.io clients on this node',
    registers: [registry],
    collect() {
      this.set(hub()?.io.engine.clientsCount ?? 0);
    },
  });
  new client.Gauge({
    name: 'concord_open_adjudications',
    help: 'Undecided adjudication items, all projects',
    registers: [registry],
    async collect() {
      const [r] = await sql<
        { n: number }[]
      >`select count(*)::int as n from adjudication_items i where not exists (select 1 from adjudications a where a.item_id = i.id)`;
      this.set(r.n);
    },
  });
  new client.Gauge({
    name: 'concord_slices_needing_reads',
    help: 'Slices with fewer reads than required, all projects',
    registers: [registry],
    async collect() {
      const [r] = await sql<{ n: number }[]>`select count(*)::int as n from slices where reads_done < reads_required`;
      this.set(r.n);
    },
  });

  /** Times a response into the histogram; `route` is read when it finishes (Express matches routes on the way). */
  function timeHttp(res: ServerResponse, route: () => string, method: string) {
    const end = httpLatency.startTimer();
    res.on('finish', () => end({ route: route(), method, status: String(res.statusCode) }));
  }

  function httpMiddleware(req: Request, res: Response, next: NextFunction) {
    timeHttp(res, () => (req.route?.path ? String(req.route.path) : req.baseUrl || 'other'), req.method);
    next();
  }

  return { registry, httpMiddleware, timeHttp, graphqlLatency, labels };
}

export type Metrics = ReturnType<typeof createMetrics>;
