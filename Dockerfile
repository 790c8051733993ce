# The FleetPrompt API / worker / migrate image used by docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.js scripts/prisma-generate.js
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci
COPY . .
RUN npm run build:workflows
ENV NODE_ENV=production
USER node
CMD ["npm", "run", "start:api"]
