import {
  createdReadKeyResponseSchema,
  createdVapiSourceResponseSchema,
  deletedVapiSourceResponseSchema,
  readKeyListResponseSchema,
  readKeyResponseSchema,
  rotatedSourceSecretResponseSchema,
  vapiSourceListResponseSchema,
  vapiSourceResponseSchema,
} from '@callbridge/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAdminApi } from '../auth/session.tsx';
import type { CreateReadKeyBody } from '../lib/read-key-form.ts';
import type { CreateSourceBody } from '../lib/source-form.ts';

// The admin key's requests. Answers that carry a secret (create, rotate, create key) are never put in
// the query cache, and their mutations are forgotten at once (gcTime 0): the view copies the secret
// into its own state for the one-time display and calls reset(), so dismissing it leaves no copy.

export const adminQueryKeys = {
  sources: ['admin', 'sources'] as const,
  readKeys: ['admin', 'read-keys'] as const,
};

const path = (sourceId: string, action = '') =>
  `/api/v1/admin/sources/${encodeURIComponent(sourceId)}${action ? `/${action}` : ''}`;

export function useSources() {
  const api = useAdminApi();
  return useQuery({
    queryKey: adminQueryKeys.sources,
    // Call counts and last delivery times move while the view is open; the list is small.
    refetchInterval: 15_000,
    queryFn: async () => (await api.request('/api/v1/admin/sources', vapiSourceListResponseSchema)).data,
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['admin'] });
  };
}

export function useCreateSource() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: CreateSourceBody) =>
      (
        await api.request('/api/v1/admin/sources', createdVapiSourceResponseSchema, {
          method: 'POST',
          body,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useRotateSecret() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    gcTime: 0,
    mutationFn: async ({ sourceId, overlapHours }: { sourceId: string; overlapHours: number }) =>
      (
        await api.request(path(sourceId, 'rotate-secret'), rotatedSourceSecretResponseSchema, {
          method: 'POST',
          body: { overlapHours },
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useSetSourceActive() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ sourceId, active }: { sourceId: string; active: boolean }) =>
      api.request(path(sourceId, active ? 'enable' : 'disable'), vapiSourceResponseSchema, {
        method: 'POST',
      }),
    onSuccess: invalidate,
  });
}

export function useDeleteSource() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (sourceId: string) =>
      (
        await api.request(
          `${path(sourceId)}?confirm=${encodeURIComponent(sourceId)}`,
          deletedVapiSourceResponseSchema,
          { method: 'DELETE' },
        )
      ).data,
    onSuccess: invalidate,
  });
}

export function useReadKeys() {
  const api = useAdminApi();
  return useQuery({
    queryKey: adminQueryKeys.readKeys,
    queryFn: async () => (await api.request('/api/v1/admin/read-keys', readKeyListResponseSchema)).data,
  });
}

export function useCreateReadKey() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    gcTime: 0,
    mutationFn: async (body: CreateReadKeyBody) =>
      (
        await api.request('/api/v1/admin/read-keys', createdReadKeyResponseSchema, {
          method: 'POST',
          body,
        })
      ).data,
    onSuccess: invalidate,
  });
}

export function useRevokeReadKey() {
  const api = useAdminApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (keyId: string) =>
      api.request(`/api/v1/admin/read-keys/${encodeURIComponent(keyId)}/revoke`, readKeyResponseSchema, {
        method: 'POST',
      }),
    onSuccess: invalidate,
  });
}
