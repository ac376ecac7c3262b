import Fastify from 'fastify';
import pg from 'pg';

/**
 * The ceiling ordo's order detail is compared with: a bare Fastify route that reads one order row by primary key
 * with node-postgres and returns it as JSON. No auth, no scoping, no lines or events: what any HTTP + PostgreSQL
 * service on this machine pays for one round trip.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify();
app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
  const { rows } = await pool.query('select * from orders where id = $1', [request.params.id]);
  if (!rows[0]) return reply.status(404).send({ error: 'not found' });
  return rows[0];
});
app.get('/readyz', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
