import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/v1/me')), staleTime: 60_000 });
}
