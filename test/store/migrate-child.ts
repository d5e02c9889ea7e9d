/** Child process of migrate.test.ts: opens the store at argv[2] and migrates it. */
import { openStore } from '../../src/store/open.js';

const url = process.argv[2];
if (!url) throw new Error('usage: migrate-child.ts <database url>');
const store = await openStore(url);
try {
  await store.migrate();
} finally {
  await store.close();
}
