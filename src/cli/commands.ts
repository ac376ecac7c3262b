import { AppError } from '../errors.ts';
import type { AppContext } from '../context.ts';
import { EXIT, type DataCommand, type OptionValues } from './command-spec.ts';
import { couponCommands } from './coupon-commands.ts';
import { merchantCommands } from './merchant-commands.ts';
import { staffCommands } from './staff-commands.ts';

/** Every command that works on the database, in the order `--help` lists them. */
export const DATA_COMMANDS: DataCommand[] = [...merchantCommands, ...staffCommands, ...couponCommands];

export interface CommandResult {
  exitCode: number;
  /** printed on standard output */
  output?: string;
  /** one line, printed on standard error */
  error?: string;
}

/** Runs a command on a context and turns every refusal into one line and an exit code (the same here and in the server). */
export async function runDataCommand(
  command: DataCommand,
  ctx: AppContext,
  options: OptionValues,
): Promise<CommandResult> {
  try {
    return { exitCode: EXIT.ok, output: await command.run(ctx, options) };
  } catch (err) {
    // a merchant id that does not exist fails the foreign key of what is created for it
    if ((err as { code?: string }).code === '23503' && 'merchant' in options)
      return { exitCode: EXIT.failed, error: 'no such merchant' };
    if (err instanceof AppError) return { exitCode: EXIT.failed, error: err.message };
    return { exitCode: EXIT.failed, error: (err as Error).message };
  }
}
