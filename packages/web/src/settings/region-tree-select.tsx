import type { Region, RegionScope } from '@tierline/contract';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { useState } from 'react';
import { regionsQuery } from '../api/queries';

interface RegionNode {
  id: string;
  pId: string | 0;
  value: string;
  title: string;
  isLeaf: boolean;
}

function isLeaf(region: Region): boolean {
  return region.level === 'county' || region.level === 'area' || region.dealerCount === 0;
}

/**
 * Picks the regions a channel manager owns (each covers its whole subtree): provinces at
 * first, cities and counties loaded from `GET /api/v1/regions?parent=` when a node opens.
 * Values carry their names, so regions that are not loaded yet still show as names.
 */
export function RegionTreeSelect({
  value = [],
  onChange,
  placeholder,
}: {
  value?: RegionScope[];
  onChange?: (regions: RegionScope[]) => void;
  placeholder?: string;
}) {
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState<readonly string[]>([]);
  const parents = ['', ...opened];
  const results = useQueries({
    queries: parents.map((parent) => regionsQuery(parent === '' ? null : parent)),
  });
  const nodes: RegionNode[] = parents.flatMap((parent, i) =>
    (results[i]?.data?.items ?? []).map((region) => ({
      id: region.code,
      pId: parent === '' ? 0 : parent,
      value: region.code,
      title: region.name,
      isLeaf: isLeaf(region),
    })),
  );

  return (
    <TreeSelect<{ value: string; label: string }[]>
      data-testid="user-regions"
      multiple
      labelInValue
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDataSimpleMode
      treeData={nodes}
      loading={results[0]?.isFetching === true && nodes.length === 0}
      placeholder={placeholder}
      value={value.map((r) => ({ value: r.code, label: r.name }))}
      onChange={(selected) =>
        onChange?.(selected.map((s) => ({ code: s.value, name: String(s.label) })))
      }
      loadData={async (node) => {
        const code = String(node.value);
        await queryClient.fetchQuery(regionsQuery(code));
        setOpened((prev) => (prev.includes(code) ? prev : [...prev, code]));
      }}
      style={{ width: '100%' }}
    />
  );
}
