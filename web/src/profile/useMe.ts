import { queryOptions, useQuery } from '@tanstack/react-query';
import { unwrap, type Api } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

export function meQuery(api: Api) {
  return queryOptions({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/v1/me')), staleTime: 60_000 });
}

export function useMe() {
  return useQuery(meQuery(useApi()));
}
