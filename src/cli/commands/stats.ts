import type { Command } from 'commander';
import { commandConfig, withStore } from '../context.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Print IOC counts by status and type, and the last version number')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = commandConfig(cmd);
      await withStore(config, async (store) => {
        const counts = await store.counts();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(counts, null, 2)}\n`);
          return;
        }
        const lines = [`total IOCs: ${counts.total}`, `last version: ${counts.lastVersion}`, 'by status:'];
        for (const [k, v] of Object.entries(counts.byStatus)) lines.push(`  ${k.padEnd(12)} ${v}`);
        lines.push('by type:');
        for (const [k, v] of Object.entries(counts.byType)) lines.push(`  ${k.padEnd(12)} ${v}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
