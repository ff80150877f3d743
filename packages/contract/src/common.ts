import { z } from 'zod';

/** Closed set of error codes the API returns; the server maps each to one HTTP status. */
export const ErrorCode = z.enum([
  'validation_failed',
  'not_found',
  'conflict',
  'unauthenticated',
  'forbidden',
  'payload_too_large',
  'rate_limited',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode.describe('Machine-readable error code'),
      message: z.string().describe('What went wrong and what to do, for a person'),
      details: z
        .unknown()
        .optional()
        .describe('Structured details, e.g. the list of invalid fields with their paths'),
    }),
  })
  .describe('Every error response has this shape');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Integer amount in the tenant's currency minor units (fen for CNY). */
export const Money = z.number().int().describe('Amount in minor currency units (e.g. fen)');

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .describe('Calendar date, YYYY-MM-DD');

export const IsoMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM')
  .describe('Calendar month, YYYY-MM');

export const Id = z.coerce
  .number()
  .int()
  .positive()
  .max(Number.MAX_SAFE_INTEGER)
  .describe('Numeric identifier');

export const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(50)
  .describe('Page size (1-500, default 50)');

export const Cursor = z
  .string()
  .max(512)
  .optional()
  .describe("Opaque cursor from the previous page's nextCursor");

/** A page of results with the total that matches the filter. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().describe('How many items match the filter, over all pages'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` to get the next page; null on the last page'),
  });
}
