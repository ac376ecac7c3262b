import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import type { Principal } from '../src/auth/tokens.ts';
import type { AppContext } from '../src/context.ts';
import type { Db } from '../src/db/connect.ts';
import { DEMO } from '../src/demo/seed-demo.ts';
import { listOrders, type OrderFilters } from '../src/orders/list-orders.ts';

export interface PlanCheck {
  filter: string;
  /** the scans in the plan, outermost first, e.g. "Index Scan using orders_merchant_status_created on orders" */
  scans: string[];
  /** a sequential scan of orders: the filter has no index */
  seqScanOnOrders: boolean;
  ms: number;
}

/** Remembers the first query it sees (the page query of listOrders) instead of changing anything. */
class FirstQuery implements KyselyPlugin {
  node: RootOperationNode | null = null;
  transformQuery({ node }: { node: RootOperationNode }): RootOperationNode {
    this.node ??= node;
    return node;
  }
  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result;
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const scansOf = (node: PlanNode): string[] => [
  ...(node['Relation Name']
    ? [`${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''} on ${node['Relation Name']}`]
    : []),
  ...(node.Plans ?? []).flatMap(scansOf),
];

/**
 * EXPLAIN ANALYZE of the order list query for every filter the API offers, on the seeded data: the exact SQL
 * listOrders builds (captured, not rewritten by hand), so a filter without an index shows up as a Seq Scan.
 */
export async function explainListFilters(
  db: Db,
  sample: { memberId: number; orderNo: string; mobile: string },
): Promise<PlanCheck[]> {
  const staff: Principal = { kind: 'staff', staffId: 1, merchantId: DEMO.merchantId, role: 'admin' };
  const member: Principal = { kind: 'member', memberId: sample.memberId, merchantId: DEMO.merchantId };
  const day = 24 * 3600_000;
  const cases: [string, Principal, Omit<OrderFilters, 'limit'>][] = [
    ['staff: all', staff, {}],
    ['staff: status=paid', staff, { status: ['paid'] }],
    ['staff: status=completed,closed', staff, { status: ['completed', 'closed'] }],
    [
      'staff: created in a week',
      staff,
      { createdFrom: new Date(Date.now() - 40 * day), createdTo: new Date(Date.now() - 33 * day) },
    ],
    ['staff: memberId', staff, { memberId: sample.memberId }],
    ['staff: storeId', staff, { storeId: DEMO.storeId }],
    ['staff: q=order no', staff, { search: sample.orderNo }],
    ['staff: q=mobile', staff, { search: sample.mobile }],
    ['staff: q=receiver name', staff, { search: '收货人7' }],
    ['member: all', member, {}],
    ['member: status=paid', member, { status: ['paid'] }],
  ];
  const checks: PlanCheck[] = [];
  for (const [filter, principal, filters] of cases) {
    const capture = new FirstQuery();
    await listOrders({ db: db.withPlugin(capture) } as AppContext, principal, { ...filters, limit: 20 });
    const compiled = db.getExecutor().compileQuery(capture.node!, { queryId: filter });
    const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number }] }>(
      CompiledQuery.raw(`explain (analyze, format json) ${compiled.sql}`, [...compiled.parameters]),
    );
    const plan = rows[0]!['QUERY PLAN'][0];
    const scans = scansOf(plan.Plan);
    checks.push({
      filter,
      scans,
      seqScanOnOrders: scans.some((s) => s.startsWith('Seq Scan') && s.endsWith(' on orders')),
      ms: plan['Execution Time'],
    });
  }
  return checks;
}
