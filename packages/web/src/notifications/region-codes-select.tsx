import type { RegionList } from '@tierline/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { regionsQuery } from '../api/queries';
import { RegionTreeSelect } from '../settings/region-tree-select';

/**
 * The names of the regions the console has loaded (the top level always), by code; a code not
 * loaded yet shows as itself.
 */
export function useRegionNames(): (code: string) => string {
  const queryClient = useQueryClient();
  // Subscribing to the top level re-renders once it arrives; deeper levels are cached by the
  // tree as it opens them.
  useQuery(regionsQuery(null));
  const names = new Map<string, string>();
  for (const [, list] of queryClient.getQueriesData<RegionList>({ queryKey: ['regions'] })) {
    for (const region of list?.items ?? []) names.set(region.code, region.name);
  }
  return (code) => names.get(code) ?? code;
}

/** Picks region codes (each with its subtree) for a form field holding `string[]`. */
export function RegionCodesSelect({
  value = [],
  onChange,
  placeholder,
}: {
  value?: string[];
  onChange?: (codes: string[]) => void;
  placeholder?: string;
}) {
  const nameOf = useRegionNames();
  return (
    <RegionTreeSelect
      value={value.map((code) => ({ code, name: nameOf(code) }))}
      onChange={(regions) => onChange?.(regions.map((r) => r.code))}
      {...(placeholder === undefined ? {} : { placeholder })}
    />
  );
}
