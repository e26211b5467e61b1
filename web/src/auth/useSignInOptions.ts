import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';

export function useSignInOptions() {
  const api = useApi();
  return useQuery({
    queryKey: keys.signInOptions,
    queryFn: () => unwrap(api.GET('/v1/auth/options')),
    staleTime: Infinity,
  });
}
