# Node 20 for the app images where Docker Hub (node:20-bookworm-slim) is out of reach: the
# host's own Node binary, headers and npm, copied onto the local Debian base, so the images run
# the Node the tests run. Same contract as the official image: `node`, `npm`, `npx` on PATH and
# a `node` user (uid 1000).
# A C++ toolchain is included because argon2's prebuilt binary segfaults on this kind of machine
# (it does on the host too; the host's node_modules hold a compiled one), so npm compiles it
# against the copied headers (npm_config_nodedir: nodejs.org, where node-gyp fetches headers,
# is out of reach too). Debian's own `nodejs` 20.19 has the same argon2 problem.
# Built by deploy/local-images.sh from a context holding `node`, `include/node/` and `npm/`.
ARG DEBIAN_IMAGE=concord-deploy/debian:trixie
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libstdc++6 make g++ python3 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 --user-group --shell /bin/sh node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY include/node /usr/local/include/node
ENV npm_config_nodedir=/usr/local
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
