{{/* Labels on every object. */}}
{{- define "palisade.labels" -}}
app.kubernetes.io/name: palisade
app.kubernetes.io/component: admission-webhook
app.kubernetes.io/part-of: palisade
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The webhook Pods' selector. */}}
{{- define "palisade.selector" -}}
app.kubernetes.io/name: palisade
app.kubernetes.io/component: admission-webhook
{{- end -}}

{{/* caBundle: the PEM from values, base64-encoded; else the placeholder (cert-manager fills it). */}}
{{- define "palisade.caBundle" -}}
{{- if .Values.tls.caBundle -}}
{{ .Values.tls.caBundle | b64enc }}
{{- else -}}
UExBQ0VIT0xERVItY2FCdW5kbGUtc2V0LWJ5LXBhbGlzYWRlLWFkbWlzc2lvbi1jZXJ0cw==
{{- end -}}
{{- end -}}

{{/* Shared namespaceSelector of both webhooks. */}}
{{- define "palisade.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
        {{- range (append .Values.webhook.excludedNamespaces .Values.namespace.name | uniq) }}
        - {{ . | quote }}
        {{- end }}
{{- end -}}
