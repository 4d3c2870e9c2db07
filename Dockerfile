# The incident-load image: what `incident-load k8s` runs in every pod by default
# (ghcr.io/incident-load/incident-load:<version>). Build and push it yourself with
#   docker build -t <registry>/incident-load:$(node -p "require('./package.json').version") .
# and give it to `incident-load k8s --image`. docs/kubernetes.md#the-image. Never built in this
# repository's own CI or on the machine it was written on (no container runtime there).

# Build stage: `npm ci` with the dev dependencies (tsc), dist/ from src/, then the package's tarball —
# the same one another repository installs (docs/ci.md). --ignore-scripts: the `prepare` script would
# run tsc before src/ is copied in.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts
COPY src ./src
COPY bin ./bin
COPY profiles ./profiles
RUN npx tsc -p tsconfig.json && npm pack --ignore-scripts && mv incident-load-*.tgz /incident-load.tgz

# Runtime stage: the tarball installed globally — its production dependencies only, nothing built
# (--ignore-scripts: its `prepare` needs tsc, which is not there and not needed); run as the image's
# non-root user "node" (uid 1000, the pods' runAsUser).
FROM node:20-slim
ENV NODE_ENV=production
COPY --from=build /incident-load.tgz /tmp/incident-load.tgz
RUN npm install -g --ignore-scripts /tmp/incident-load.tgz && rm /tmp/incident-load.tgz && npm cache clean --force
USER 1000:1000
ENTRYPOINT ["incident-load"]
CMD ["--help"]
