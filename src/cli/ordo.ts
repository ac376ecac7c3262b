import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { backupOrRestore } from './backup-commands.ts';
import { DATA_COMMANDS } from './commands.ts';
import { EXIT, type OptionValues } from './command-spec.ts';
import { executeDataCommand } from './run-command.ts';

const AFTER_HELP = () => `
Every command:
${COMMAND_LIST}

Run \`npm run ordo -- <command> --help\` for a command's options. It uses the database ordo is configured with
(DATABASE_URL, or the embedded PGlite in ORDO_DATA_DIR, ./data by default). While ordo runs on an embedded PGlite
folder, the database commands go through that running ordo; backup and restore need it stopped.

Exit codes:
  0  done
  1  the command was refused or failed (the message says why)
  2  the command line is wrong: unknown command or option, a missing or malformed value
  3  the PGlite data folder is held by another process the command cannot go through (the message names its pid)`;

const COMMAND_LIST = [
  ...DATA_COMMANDS.map((c) => [c.name, c.summary]),
  ['backup <file>', 'the whole database into <file>'],
  ['restore <file>', 'the database from a backup file'],
]
  .map(([name, summary]) => `  ${name!.padEnd(22)} ${summary}`)
  .join('\n');

const program = new Command('ordo')
  .usage('<command> [options]   (npm run ordo -- <command> [options])')
  .description('ordo — set up merchants, staff, apps and coupons, and back up the database, from the command line')
  .addHelpText('after', AFTER_HELP())
  .helpCommand(false);
let exitCode: number = EXIT.ok;
const config = () => ({ ...loadConfig(), logLevel: 'warn' });

const groups = new Map<string, Command>();
for (const spec of DATA_COMMANDS) {
  const [groupName, verb] = spec.name.split(' ') as [string, string];
  let group = groups.get(groupName);
  if (!group) {
    group = program
      .command(groupName)
      .description(`${groupName} commands`)
      .usage('<command> [options]')
      .helpCommand(false);
    groups.set(groupName, group);
  }
  const command = group.command(verb).description(spec.summary);
  for (const option of spec.options) {
    const built = new Option(option.flags, option.description).makeOptionMandatory(!!option.required);
    if (option.parse) built.argParser(option.parse);
    command.addOption(built);
  }
  command.action(async (options: OptionValues) => {
    exitCode = await executeDataCommand(config(), spec, options);
  });
}
for (const group of groups.values()) group.description(`${[...group.commands.map((c) => c.name())].join(', ')}`);

for (const action of ['backup', 'restore'] as const) {
  program
    .command(action)
    .argument('<file>', action === 'backup' ? 'the file to write' : 'a file made by backup')
    .description(
      action === 'backup'
        ? 'the whole database into <file> (PostgreSQL: a pg_dump archive, taken while ordo runs; PGlite: its data folder, gzipped: stop ordo first)'
        : 'replaces the database with the backup in <file> (stop ordo first; the data folder may not exist yet); keep the master key with your backups',
    )
    .action(async (file: string) => {
      exitCode = await backupOrRestore(config(), action, file);
    });
}

// every error commander reports is one line naming the command whose --help shows the way
const commandPath = (command: Command): string =>
  (command.parent ? `${commandPath(command.parent)} ${command.name()}` : '').trim();
const configure = (command: Command) => {
  command.exitOverride().configureOutput({
    outputError: (message, write) =>
      write(
        `ordo: ${message.replace(/^error: /, '').trim()} (see: npm run ordo -- ${commandPath(command) ? `${commandPath(command)} ` : ''}--help)\n`,
      ),
  });
  command.commands.forEach(configure);
};
configure(program);

try {
  if (process.argv.length <= 2) program.outputHelp();
  else await program.parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // --help asked for: 0; a group run without its command (`ordo staff`) shows its help as a usage error
    exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  } else if (err instanceof ConfigError) {
    console.error(`ordo: ${err.problems.join('; ')}`);
    exitCode = EXIT.usage;
  } else {
    console.error(`ordo: ${(err as Error).message}`);
    exitCode = EXIT.failed;
  }
}
// PGlite and pg leave nothing that must finish: exit now, with the code the command chose
process.exit(exitCode);
