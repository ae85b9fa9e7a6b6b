# syntax=docker/dockerfile:1
# NetPulse: one image for the API and the worker nodes.
#   API (default):  docker run IMAGE                       -> node dist/main.js    (port 9000)
#   worker node:    docker run IMAGE node dist/worker.js   -> probes on 9001
# Build: docker build -t netpulse:0.1.0 .
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ and bundle the dashboard (ui/) into dist/ui ----
FROM ${NODE_IMAGE} AS build
# no install-time telemetry (@scarf/scarf, pulled in by swagger-ui-dist)
ENV SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY src ./src
COPY ui ./ui
RUN npm run build

# ---- prod-deps: production dependencies only ----
FROM ${NODE_IMAGE} AS prod-deps
ENV SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- ntc-templates: the TextFSM template library (data only) that users of the original get with the service ----
FROM python:3.12-slim AS ntc-templates
ARG NTC_TEMPLATES_VERSION=9.3.0
RUN pip download --no-deps --only-binary=:all: --dest /tmp/wheel "ntc-templates==${NTC_TEMPLATES_VERSION}" \
 && python -m zipfile -e /tmp/wheel/ntc_templates-*.whl /opt/ntc \
 && test -f /opt/ntc/ntc_templates/templates/index

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards signals to node and reaps children, so node never runs as PID 1 (there the kernel
# drops any signal node has no handler for, e.g. a SIGTERM that arrives before the app installed its own).
# Kubernetes and compose must keep this entrypoint: they override args (CMD), never command.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 netpulse \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin netpulse
ENV NODE_ENV=production \
    PORT=9000 \
    WORKER_PROBE_PORT=9001 \
    NTC_TEMPLATES_DIR=/app/ntc-templates
WORKDIR /app
# Files stay owned by root: the app user can read, not change them (works with a read-only root filesystem).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=ntc-templates /opt/ntc/ntc_templates/templates ./ntc-templates
COPY package.json ./
USER 10001:10001
EXPOSE 9000 9001
# No curl in slim images: node asks /health/live on the API port (https when TLS_CERT_FILE/TLS_KEY_FILE are
# set) and on the worker probe port; either answering 200 is healthy (the same image runs both processes).
# Compose and Kubernetes set their own checks.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env;const ps=[[e.TLS_CERT_FILE&&e.TLS_KEY_FILE?'https':'http',e.PORT||9000],['http',e.WORKER_PROBE_PORT||9001]];let n=ps.length;const no=()=>{if(--n===0)process.exit(1)};for(const[s,p]of ps){const r=require(s).get({host:'127.0.0.1',port:p,path:'/health/live',timeout:4000,rejectUnauthorized:false},(res)=>{res.resume();if(res.statusCode===200)process.exit(0);no()});r.on('timeout',()=>r.destroy(new Error('timeout')));r.on('error',no)}"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
