import type { DealerPage } from '@tierline/contract';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { getJson } from '../api/client';

const searchDelayMs = 250;

/**
 * Dealers matching what is typed in a dealer picker (`GET /api/v1/dealers?q=`, the first 20 by
 * code), searched 250 ms after the typing stops. `search` takes the picker's text.
 */
export function useDealerSearch() {
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
  return { dealers: found.data?.items ?? [], loading: found.isFetching, search: setText };
}
