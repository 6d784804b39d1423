import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router-dom';
import { followCallStream, type StreamState } from '../api/call-stream.ts';
import { ApiError } from '../api/client.ts';
import { useApplyCallChange, useSimulateCall } from '../api/queries.ts';
import { useReadApi, useSession } from '../auth/session.tsx';
import { SpoolStatus } from './spool-status.tsx';

const STATE_LABELS: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function Layout() {
  const { readApi, adminApi, signOut } = useSession();
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <span className="brand">Callbridge</span>
        <nav aria-label="Main">
          <NavLink to="/calls">Calls</NavLink>
          <NavLink to="/deliveries">Deliveries</NavLink>
          <NavLink to="/overview">Overview</NavLink>
          <NavLink to="/sources">Sources</NavLink>
        </nav>
        <span className="held-keys">
          {[readApi && 'read key', adminApi && 'admin key'].filter(Boolean).join(' + ')}
        </span>
        {readApi && <LiveCalls />}
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
        <SpoolStatus />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** The live stream and the simulator, both read-key routes: only while the tab holds a read key. */
function LiveCalls() {
  const api = useReadApi();
  const applyCallChange = useApplyCallChange();
  const queryClient = useQueryClient();
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const simulate = useSimulateCall();

  // biome-ignore lint/correctness/useExhaustiveDependencies: one stream per signed-in key
  useEffect(
    () =>
      followCallStream(api.key, {
        onCall: applyCallChange,
        onState: setStreamState,
        onReconnect: () => void queryClient.invalidateQueries(),
      }),
    [api.key],
  );

  const simulated = simulate.data?.data.callId;
  const simulateError =
    simulate.error instanceof ApiError && simulate.error.status === 404
      ? 'The simulator is off on this server (SIMULATOR_ENABLED).'
      : simulate.error?.message;

  return (
    <>
      <span className={`stream-state ${streamState}`} role="status" aria-live="polite">
        {STATE_LABELS[streamState]}
      </span>
      <button type="button" onClick={() => simulate.mutate()} disabled={simulate.isPending}>
        Simulate a call
      </button>
      {(simulated || simulateError) && (
        <p className={simulateError ? 'notice error' : 'notice'} role="status">
          {simulateError ?? (
            <>
              Simulating call <Link to={`/calls/${encodeURIComponent(simulated ?? '')}`}>{simulated}</Link>:
              it appears below as VAPI would send it.
            </>
          )}
        </p>
      )}
    </>
  );
}
