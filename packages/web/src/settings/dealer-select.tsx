import { Select } from 'antd';
import { useDealerSearch } from '../dealers/use-dealer-search';

export interface DealerChoice {
  code: string;
  name: string;
}

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
  const { dealers, loading, search } = useDealerSearch();

  const choices: DealerChoice[] = dealers.map((d) => ({
    code: d.code,
    name: d.name,
  }));
  if (value != null && !choices.some((c) => c.code === value.code)) choices.unshift(value);

  return (
    <Select<string>
      data-testid="user-dealer"
      showSearch={{ filterOption: false, onSearch: search }}
      allowClear
      placeholder={placeholder}
      loading={loading}
      value={value?.code}
      onChange={(code) => onChange?.(choices.find((c) => c.code === code) ?? null)}
      options={choices.map((c) => ({ value: c.code, label: `${c.code} · ${c.name}` }))}
      style={{ width: '100%' }}
    />
  );
}
