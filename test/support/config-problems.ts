import { ConfigError, loadConfig } from '../../src/config.ts';

/** What loadConfig refuses in `env`, one line per problem; none when it starts. */
export function configProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}
