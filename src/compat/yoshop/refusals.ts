import { AppError, type ErrorCode } from '../../errors.ts';
import { bad } from './params.ts';

/**
 * For `.catch`: a core refusal with this code becomes the page's own words (status 500 in YoShop's envelope);
 * anything else goes on as it was.
 */
export const refusedAs =
  (code: ErrorCode, message: string) =>
  (err: unknown): never => {
    throw err instanceof AppError && err.code === code ? bad(message) : err;
  };
