import type { DealerPage } from '@tierline/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { getJson } from '../api/client';

export interface DealerChoice {
  code: string;
  name: string;
}

const searchDelayMs = 250;

/** Finds a dealer by code or name (`GET /api/v1/dealers?q=`) for a dealer user's account. */
export function DealerSelect({
  value,
  onChange,
  placeholder,
}: {
  value?: DealerChoice | null;
  onChange?: (dealer: DealerChoice | null) => void;
  placeholder?: string;
}) {
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [text]);
  const found = useQuery({
    queryKey: ['dealers', 'pick', q],
    queryFn: ({ signal }) =>
      getJson<DealerPage>('/api/v1/dealers', { q, limit: 20, sort: 'code' }, signal),
    placeholderData: keepPreviousData,
  });

  const choices: DealerChoice[] = (found.data?.items ?? []).map((d) => ({
    code: d.code,
    name: d.name,
  }));
  if (value != null && !choices.some((c) => c.code === value.code)) choices.unshift(value);

  return (
    <Select<string>
      data-testid="user-dealer"
      showSearch={{ filterOption: false, onSearch: setText }}
      allowClear
      placeholder={placeholder}
      loading={found.isFetching}
      value={value?.code}
      onChange={(code) => onChange?.(choices.find((c) => c.code === code) ?? null)}
      options={choices.map((c) => ({ value: c.code, label: `${c.code} · ${c.name}` }))}
      style={{ width: '100%' }}
    />
  );
}
