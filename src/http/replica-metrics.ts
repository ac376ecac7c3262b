import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReadReplicas } from '../db/replicas/read-replicas.ts';

/** What the read replicas add to /metrics: each one's lag and whether reads go to it, and where reads went. */
export function installReplicaMetrics(registry: Registry, replicas: ReadReplicas): void {
  new Gauge({
    name: 'ordo_read_replica_usable',
    help: 'Whether reads go to the replica (1): it answered the last probe and was within ORDO_READ_MAX_LAG_MS',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      for (const state of replicas.states()) this.set({ replica: state.name }, state.usable ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ordo_read_replica_lag_seconds',
    help: 'How far behind the primary each replica was at the last probe (absent while it does not answer)',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of replicas.states())
        if (state.lagMs !== null) this.set({ replica: state.name }, state.lagMs / 1000);
    },
  });
  new Counter({
    name: 'ordo_read_statements_total',
    help: 'Statements of the read pool, by the server that served them (primary when no replica was usable)',
    labelNames: ['server'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [server, count] of replicas.counts.statements) this.inc({ server }, count);
    },
  });
  new Counter({
    name: 'ordo_read_position_checks_total',
    help: 'Reads that named a read position, by who served them (a replica that had replayed it, or the primary)',
    labelNames: ['served_by'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [servedBy, count] of Object.entries(replicas.counts.positionChecks))
        if (count > 0) this.inc({ served_by: servedBy }, count);
    },
  });
}
