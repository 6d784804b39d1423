import { useQuery } from '@tanstack/react-query';
import { spoolNotice } from '../lib/spool-notice.ts';

/** The server's local spool, from GET /ready every 5 s: shown only while it holds deliveries. */
export function SpoolStatus() {
  const ready = useQuery({
    queryKey: ['ready'],
    queryFn: async () => (await fetch('/ready')).json().catch(() => null) as Promise<unknown>,
    refetchInterval: 5000,
  });
  const notice = spoolNotice(ready.data);
  if (!notice) return null;
  return (
    <p className={notice.alarm ? 'notice error' : 'notice'} role="status" aria-live="polite">
      {notice.text}
    </p>
  );
}
