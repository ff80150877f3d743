import { z } from 'zod';

export const RegionLevel = z.enum(['country', 'province', 'city', 'county', 'area']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export const Region = z.object({
  code: z.string().describe('GB/T 2260 code for China (e.g. 440106), free-form elsewhere'),
  name: z.string(),
  level: RegionLevel,
  parentCode: z.string().nullable(),
  countryCode: z.string().length(2),
  dealerCount: z.number().int().describe('Dealers in this region and all regions below it'),
});
export type Region = z.infer<typeof Region>;

export const RegionListQuery = z.object({
  parent: z
    .string()
    .max(64)
    .optional()
    .describe('List the children of this region code; without it, the top-level regions'),
  level: RegionLevel.optional().describe('Only regions of this level (anywhere in the tree)'),
});
export type RegionListQuery = z.infer<typeof RegionListQuery>;

export const RegionList = z.object({ items: z.array(Region) });
export type RegionList = z.infer<typeof RegionList>;
