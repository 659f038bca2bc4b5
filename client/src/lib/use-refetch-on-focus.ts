import { useEffect, useRef } from 'react';

/** Back from another tab or app: what is on screen has likely moved, so look again. */
export function useRefetchOnFocus(refetch: () => Promise<unknown>, enabled = true): void {
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    if (!enabled) return;
    const onFocus = () => void latest.current().catch(() => undefined);
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [enabled]);
}
