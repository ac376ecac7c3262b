import { loadConfig } from '../config.ts';
import { seedDemoIfEmpty } from '../demo/seed-demo.ts';
import { openConfiguredDatabaseOrExit } from '../boot/open-database.ts';

// `npm run seed`: create and migrate the database if needed, then load the demo data into it if it is empty.
const config = loadConfig();
const handle = await openConfiguredDatabaseOrExit(config);
const seeded = await seedDemoIfEmpty(handle.db);
console.log(seeded ? 'demo data loaded' : 'the database already has data; nothing loaded');
await handle.close();
