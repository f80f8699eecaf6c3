# syntax=docker/dockerfile:1
# Build stage: compile TypeScript and the native SQLite binding.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
# Only what the service is built from: tsconfig.build.json compiles src/ alone (benches and their
# test fixtures are built by tsconfig.bench.json, never in the image). .dockerignore keeps local
# data, builds and dependencies out of the context; scripts/check-image.mjs checks this set.
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY player ./player
RUN npm run build && npm prune --omit=dev

# Runtime stage: only what runs, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    LEARNHQ_CONTENT_PORT=8081 \
    LEARNHQ_DATA_DIR=/var/lib/learnhq \
    LEARNHQ_PACKAGES_DIR=/var/lib/learnhq/packages
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /var/lib/learnhq/packages && chown -R node:node /var/lib/learnhq
USER node
# 8080: the app (pages, API, LRS); 8081: the content origin (package files only).
EXPOSE 8080 8081
VOLUME ["/var/lib/learnhq"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
# A larger young generation: large statement batches make much short-lived garbage (+10% ingest
# in batches of 100, docs/env.md).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
