{{/* Chart name, truncated to a DNS label. */}}
{{- define "netpulse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every object: <release>-<chart>, or <release> when it already contains the chart name.
Truncated to 56 characters so "-worker" / "-api" suffixes stay within 63.
*/}}
{{- define "netpulse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 56 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 56 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "netpulse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable for the life of a release (never put the version here). */}}
{{- define "netpulse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "netpulse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Standard labels of every object. */}}
{{- define "netpulse.labels" -}}
helm.sh/chart: {{ include "netpulse.chart" . }}
{{ include "netpulse.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | replace "+" "_" | trunc 63 | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: netpulse
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels of a component's objects: call with (dict "ctx" $ "component" "api"). */}}
{{- define "netpulse.componentLabels" -}}
{{ include "netpulse.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "netpulse.componentSelectorLabels" -}}
{{ include "netpulse.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "netpulse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "netpulse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "netpulse.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret created by the chart (holds whatever no existingSecret provides). */}}
{{- define "netpulse.secretName" -}}
{{- include "netpulse.fullname" . }}
{{- end }}

{{/* True ("true") when the chart must create its own Secret. */}}
{{- define "netpulse.createSecret" -}}
{{- if or (not .Values.auth.existingSecret) (not .Values.redis.existingSecret) }}true{{- end }}
{{- end }}

{{/*
Environment shared by the API and the worker nodes: the ConfigMap, then the secrets by reference.
NETPULSE_NODE_NAME is deliberately not set: a worker node is named after its hostname, i.e. its pod name.
*/}}
{{- define "netpulse.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "netpulse.fullname" . }}
env:
  - name: NETPULSE_API_KEYS
    valueFrom:
      secretKeyRef:
        name: {{ default (include "netpulse.secretName" .) .Values.auth.existingSecret }}
        key: {{ ternary .Values.auth.existingSecretKey "api-keys" (ne .Values.auth.existingSecret "") }}
  - name: REDIS_URL
    valueFrom:
      secretKeyRef:
        name: {{ default (include "netpulse.secretName" .) .Values.redis.existingSecret }}
        key: {{ ternary .Values.redis.existingSecretKey "redis-url" (ne .Values.redis.existingSecret "") }}
{{- with .Values.extraEnv }}
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Checksums that roll the pods when the configuration they read changes. */}}
{{- define "netpulse.configChecksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if include "netpulse.createSecret" . }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end }}

{{/* An httpGet probe: call with (dict "path" "/health/live" "port" "http" "t" .Values.api.probes.liveness "https" false). */}}
{{- define "netpulse.probe" -}}
httpGet:
  path: {{ .path }}
  port: {{ .port }}
  {{- if .https }}
  scheme: HTTPS
  {{- end }}
initialDelaySeconds: {{ .t.initialDelaySeconds | default 0 }}
periodSeconds: {{ .t.periodSeconds | default 10 }}
timeoutSeconds: {{ .t.timeoutSeconds | default 3 }}
failureThreshold: {{ .t.failureThreshold | default 3 }}
successThreshold: 1
{{- end }}

{{/* Checks across values that a JSON schema cannot express; included by every workload. */}}
{{- define "netpulse.validate" -}}
{{- if le (int .Values.worker.terminationGracePeriodSeconds) (int .Values.config.SHUTDOWN_GRACE) }}
{{- fail (printf "worker.terminationGracePeriodSeconds (%v) must be greater than config.SHUTDOWN_GRACE (%v): a worker node gets SHUTDOWN_GRACE seconds to let running jobs finish before Kubernetes kills it" .Values.worker.terminationGracePeriodSeconds .Values.config.SHUTDOWN_GRACE) }}
{{- end }}
{{- if and .Values.serviceMonitor.enabled (ne (toString .Values.config.METRICS_PUBLIC) "true") }}
{{- fail "serviceMonitor.enabled needs config.METRICS_PUBLIC: \"true\" (Prometheus cannot send the X-API-KEY that /metrics asks for otherwise)" }}
{{- end }}
{{- if and .Values.api.autoscaling.enabled (gt (int .Values.api.autoscaling.minReplicas) (int .Values.api.autoscaling.maxReplicas)) }}
{{- fail "api.autoscaling.minReplicas must not exceed api.autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.api.autoscaling.enabled (not .Values.api.autoscaling.targetCPUUtilizationPercentage) (not .Values.api.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail "api.autoscaling needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" }}
{{- end }}
{{- if and .Values.api.tls.enabled (not .Values.api.tls.secretName) }}
{{- fail "api.tls.enabled needs api.tls.secretName: a kubernetes.io/tls Secret with tls.crt and tls.key" }}
{{- end }}
{{- if le (int .Values.config.WORKER_TTL) (int .Values.config.HEARTBEAT_INTERVAL) }}
{{- fail (printf "config.WORKER_TTL (%v) must be greater than config.HEARTBEAT_INTERVAL (%v), or live nodes are declared dead between heartbeats" .Values.config.WORKER_TTL .Values.config.HEARTBEAT_INTERVAL) }}
{{- end }}
{{- end }}
