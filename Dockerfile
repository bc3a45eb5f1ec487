# Handoff's bot: the TypeScript sources run by tsx, as `npm start` runs them, with production dependencies only.
# docker-compose.yml runs it beside MongoDB and a self-hosted QuickChart.
FROM node:22-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
USER node
EXPOSE 3000
# GET /healthz answers 200 while the store answers (Slack mode).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# node itself, not npm, so that SIGTERM reaches the bot (it stops the ticker, lets a digest finish, closes the store).
CMD ["node", "--import", "tsx", "src/main.ts"]
