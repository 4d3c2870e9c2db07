# The incident-load image: what `incident-load k8s` runs in every pod by default
# (ghcr.io/incident-load/incident-load:<version>). Build and push it yourself with
#   docker build -t <registry>/incident-load:$(node -p "require('./package.json').version") .
# and give it to `incident-load k8s --image`. docs/kubernetes.md#the-image. Never built in this
# repository's own CI or on the machine it was written on (no container runtime there).

# Build stage: `npm ci` with the dev dependencies (tsc), then dist/ from src/. --ignore-scripts: the
# `prepare` script would run tsc before src/ is copied in.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts
COPY src ./src
RUN npx tsc -p tsconfig.json

# Runtime stage: the production dependencies only (`prepare` needs tsc, a dev dependency, hence
# --ignore-scripts: nothing else here has an install script), the built dist/, the launcher and the
# bundled profiles; run as the image's non-root user "node" (uid 1000, the pods' runAsUser).
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY profiles ./profiles
RUN chmod 0755 bin/incident-load.js && ln -s /app/bin/incident-load.js /usr/local/bin/incident-load
USER 1000:1000
ENTRYPOINT ["incident-load"]
CMD ["--help"]
