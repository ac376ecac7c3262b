import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { AppContext } from '../context.ts';

/** The CLI's exit codes (README "Command line" and `npm run ordo -- --help` list them). */
export const EXIT = {
  ok: 0,
  /** the command ran and was refused or failed: no such merchant, a username taken, a backup that cannot be read */
  failed: 1,
  /** the command line is wrong: unknown command or option, a missing or malformed value */
  usage: 2,
  /** the PGlite data folder is held by another process and the command cannot go through it */
  folderInUse: 3,
} as const;

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface OptionSpec {
  flags: string;
  description: string;
  required?: boolean;
  /** checks and converts the text typed; throws InvalidArgumentError (exit 2) */
  parse?: (value: string) => string | number;
}

/**
 * A command that works on the database. It runs in the CLI's own process, or — when a running ordo holds the PGlite
 * data folder — inside that ordo, sent over its local admin route; so options travel as JSON (strings and numbers).
 */
export interface DataCommand {
  /** "staff create" */
  name: string;
  summary: string;
  options: OptionSpec[];
  /** what to print on success */
  run(ctx: AppContext, options: OptionValues): Promise<string>;
}

export const wholeNumber = (value: string): number => {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError('a whole number is needed.');
  return Number(value);
};

export const moment = (value: string): string => {
  if (value === 'none') return value;
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('a time like 2026-12-31T16:00:00Z (or none) is needed.');
  return value;
};

export const oneOf =
  (...allowed: string[]) =>
  (value: string): string => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`it is ${allowed.join(' or ')}.`);
    return value;
  };

export const merchantOption: OptionSpec = {
  flags: '--merchant <id>',
  description: 'the merchant id',
  required: true,
  parse: wholeNumber,
};

/** a password shown once: 72 random bits, easy to copy */
export const newPassword = () => randomBytes(9).toString('base64url');
