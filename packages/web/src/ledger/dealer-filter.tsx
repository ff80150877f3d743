import { Select } from 'antd';
import { useDealerSearch } from '../dealers/use-dealer-search';
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
  const { dealers, loading, search } = useDealerSearch();
  const options = dealers.map((d) => ({
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
      showSearch={{ filterOption: false, onSearch: search }}
      placeholder={t('ledger.filter.dealer')}
      loading={loading}
      value={value}
      onChange={(id) => onChange(id ?? undefined)}
      options={options}
    />
  );
}
