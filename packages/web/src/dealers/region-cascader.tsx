import type { Region, RegionList } from '@tierline/contract';
import { useQueries } from '@tanstack/react-query';
import { Cascader } from 'antd';
import { useMemo, useState } from 'react';
import { regionsQuery } from '../api/queries';
import { useFormat } from '../format/use-money';

interface RegionOption {
  value: string;
  label: string;
  dealerCount: number;
  isLeaf: boolean;
  disabled: boolean;
  loading?: boolean;
  children?: RegionOption[];
}

function isLeaf(region: Region): boolean {
  return region.level === 'county' || region.level === 'area' || region.dealerCount === 0;
}

/**
 * Province → city → county picker that loads one level at a time from
 * `GET /api/v1/regions?parent=`, so the tree of ~3,000 Chinese regions is never fetched
 * whole. The selected path is loaded on mount, so a path from the URL shows its names.
 */
export function RegionCascader({
  value,
  onChange,
  placeholder,
}: {
  value: readonly string[];
  onChange: (path: string[]) => void;
  placeholder: string;
}) {
  const format = useFormat();
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());

  // '' stands for the top level; the selected path's ancestors are needed for its label.
  const parents = useMemo(
    () => [...new Set(['', ...value.slice(0, -1), ...opened])],
    [value, opened],
  );
  const results = useQueries({
    queries: parents.map((parent) => regionsQuery(parent === '' ? null : parent)),
  });

  const byParent = new Map<string, RegionList>();
  const loading = new Set<string>();
  parents.forEach((parent, i) => {
    const result = results[i];
    if (result?.data !== undefined) byParent.set(parent, result.data);
    else if (result?.isFetching === true) loading.add(parent);
  });

  function build(parent: string): RegionOption[] | undefined {
    const list = byParent.get(parent);
    if (list === undefined) return undefined;
    return list.items.map((region) => ({
      value: region.code,
      label: region.name,
      dealerCount: region.dealerCount,
      isLeaf: isLeaf(region),
      disabled: region.dealerCount === 0,
      loading: loading.has(region.code),
      children: build(region.code),
    }));
  }
  const options = build('') ?? [];

  return (
    <Cascader<RegionOption>
      data-testid="filter-region"
      style={{ width: 172 }}
      placeholder={placeholder}
      options={options}
      value={value.length === 0 ? undefined : [...value]}
      changeOnSelect
      allowClear
      loading={loading.has('')}
      loadData={(selected) => {
        const last = selected.at(-1);
        if (last !== undefined) setOpened((prev) => new Set(prev).add(last.value));
      }}
      optionRender={(option) => (
        <span className="tl-region-option">
          <span>{option.label}</span>
          <span className="tl-region-count">{format.number(option.dealerCount)}</span>
        </span>
      )}
      onChange={(path) => onChange((path ?? []).map(String))}
    />
  );
}
