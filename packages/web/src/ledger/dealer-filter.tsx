import type { DealerPage } from '@tierline/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { getJson } from '../api/client';
import { useI18n } from '../i18n/locale';

/** Picks a dealer by code or name (`GET /api/v1/dealers?q=`) to filter the records by. */
export function DealerFilter({
  value,
  onChange,
}: {
  value: number | undefined;
  onChange: (id: number | undefined) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    queryKey: ['dealers', 'pick', q],
    queryFn: ({ signal }) =>
      getJson<DealerPage>('/api/v1/dealers', { q, limit: 20, sort: 'code' }, signal),
    placeholderData: keepPreviousData,
  });
  const options = (found.data?.items ?? []).map((d) => ({
    value: d.id,
    label: `${d.code} · ${d.name}`,
  }));
  if (value !== undefined && !options.some((o) => o.value === value)) {
    options.unshift({ value, label: `#${value}` });
  }
  return (
    <Select<number>
      data-testid="ledger-filter-dealer"
      style={{ width: 260 }}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText }}
      placeholder={t('ledger.filter.dealer')}
      loading={found.isFetching}
      value={value}
      onChange={(id) => onChange(id ?? undefined)}
      options={options}
    />
  );
}
