# wecom-contact-ops: a multi-stage image. The first stage installs everything and builds dist/; the second keeps only
# dist/ and the production dependencies (npm ci --omit=dev: nothing is compiled there), and runs as a non-root user.
# Behind a registry mirror: docker build --build-arg NODE_IMAGE=<mirror>/library/node:22-bookworm-slim .
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY locales ./locales
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    STORE_URL=sqlite:///data/bot.sqlite
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/scripts/prepare.mjs ./scripts/prepare.mjs
COPY --from=build /app/dist ./dist
COPY LICENSE CHANGELOG.md ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
    && mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# The liveness probe: the process serves (it never asks the store, so a Redis blip restarts nothing).
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM: stop accepting, finish what runs (at most 10 s), close the store. The grace below is longer than that.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "--optimize-for-size", "dist/src/main.js"]
