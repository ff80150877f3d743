import { z } from 'zod';

export const Health = z.object({
  status: z.literal('ok'),
  engine: z.enum(['pglite', 'postgres']).describe('The database engine in use'),
  version: z.string().describe('Tierline version'),
});
export type Health = z.infer<typeof Health>;

export const TenantInfo = z.object({
  slug: z.string().describe('URL-safe tenant name'),
  name: z.string(),
  currency: z.string().length(3).describe('ISO 4217 currency code of all amounts'),
  currencyMinorUnits: z.number().int().describe('Digits after the decimal point (2 for CNY)'),
  locale: z.string(),
  timeZone: z.string(),
  isDemo: z.boolean(),
  dataRange: z
    .object({ from: z.string(), to: z.string() })
    .nullable()
    .describe('First and last month with rollups, YYYY-MM; null before any data'),
});
export type TenantInfo = z.infer<typeof TenantInfo>;
