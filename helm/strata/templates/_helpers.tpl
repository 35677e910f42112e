{{/* Names and labels. */}}
{{- define "strata.fullname" -}}
{{- if contains "strata" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-strata" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "strata.labels" -}}
{{ include "strata.baseLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Without the instance label, which a service's selector labels carry. */}}
{{- define "strata.baseLabels" -}}
app.kubernetes.io/part-of: strata
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector labels of one service's pods: (dict "root" $ "name" "ingest"). */}}
{{- define "strata.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "strata.serviceName" -}}
{{- printf "%s-%s" (include "strata.fullname" .root) .name -}}
{{- end -}}

{{- define "strata.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if eq $tag "latest" -}}{{- fail "image.tag must not be latest: pin a version" -}}{{- end -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .name $tag -}}
{{- end -}}

{{/* The engines' endpoints: the operators' services when those are enabled. */}}
{{- define "strata.kafkaBootstrap" -}}
{{- if .Values.strimzi.enabled -}}
{{- printf "%s-kafka-bootstrap:9092" .Values.strimzi.clusterName -}}
{{- else -}}
{{- .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "strata.postgresHost" -}}
{{- if .Values.cloudnativepg.enabled -}}
{{- printf "%s-rw" .Values.cloudnativepg.clusterName -}}
{{- else -}}
{{- .Values.postgresql.host -}}
{{- end -}}
{{- end -}}

{{- define "strata.s3Endpoint" -}}
{{- if .Values.minio.enabled -}}
{{- printf "http://minio.%s.svc:80" .Release.Namespace -}}
{{- else -}}
{{- .Values.s3.endpoint -}}
{{- end -}}
{{- end -}}

{{- define "strata.postgresSecret" -}}
{{- .Values.postgresql.existingSecret | default (printf "%s-postgresql" (include "strata.fullname" .)) -}}
{{- end -}}

{{- define "strata.s3Secret" -}}
{{- .Values.s3.existingSecret | default (printf "%s-s3" (include "strata.fullname" .)) -}}
{{- end -}}

{{- define "strata.knownAesConfigMap" -}}
{{- printf "%s-known-aes" (include "strata.fullname" .) -}}
{{- end -}}

{{/* Where the ConfigMaps are mounted: Quarkus reads config/application.properties in its
     working directory (/app) over the packaged one; the known-AE file beside it. */}}
{{- define "strata.configDir" -}}/app/config{{- end -}}
{{- define "strata.knownAesFile" -}}/etc/strata/known-aes.conf{{- end -}}
{{/* Mounts of their own beside /etc/strata (no mount inside another, read-only, volume). */}}
{{- define "strata.dimseTlsDir" -}}/etc/strata-dimse-tls{{- end -}}

{{/* The storage tiers (s3.tierName, s3.tiers) for the services that read every tier (query,
     storage-tiering, routing; libs/storage Tiers), as JSON {properties, secretEnv, egress}: the
     strata.s3.tier* keys, each tier's credentials from its Secret (none: the first tier's), and
     an egress rule per tier on its own endpoint. */}}
{{- define "strata.tiers" -}}
{{- $props := dict "strata.s3.tier" .Values.s3.tierName -}}
{{- $env := list -}}
{{- $egress := list -}}
{{- $names := list -}}
{{- range .Values.s3.tiers -}}
{{- $prefix := printf "strata.s3.tiers.%s." .name -}}
{{- $names = append $names .name -}}
{{- $_ := set $props (print $prefix "bucket") .bucket -}}
{{- with .endpoint }}{{- $_ := set $props (print $prefix "endpoint") . -}}{{- end }}
{{- $_ := set $props (print $prefix "retrieval") (.retrieval | default "online") -}}
{{- with .retrievalDelay }}{{- $_ := set $props (print $prefix "retrieval-delay") . -}}{{- end }}
{{- if .existingSecret -}}
{{- $var := printf "STRATA_S3_TIERS_%s_" (.name | upper | replace "-" "_") -}}
{{- $env = append $env (dict "name" (print $var "ACCESS_KEY") "secret" .existingSecret "key" "access-key") -}}
{{- $env = append $env (dict "name" (print $var "SECRET_KEY") "secret" .existingSecret "key" "secret-key") -}}
{{- end -}}
{{- if .endpoint -}}
{{- $rule := dict "ports" (list (dict "port" (int (.port | default 443)) "protocol" "TCP")) -}}
{{- with .networkPolicyPeers }}{{- $_ := set $rule "to" . -}}{{- end }}
{{- $egress = append $egress $rule -}}
{{- end -}}
{{- end -}}
{{- with $names }}{{- $_ := set $props "strata.s3.tiers" (join "," .) -}}{{- end }}
{{- toJson (dict "properties" $props "secretEnv" $env "egress" $egress) -}}
{{- end -}}
{{- define "strata.tieringPoliciesDir" -}}/etc/strata-tiering{{- end -}}
{{- define "strata.auditKeyDir" -}}/etc/strata-audit{{- end -}}
{{- define "strata.routingRulesDir" -}}/etc/strata-routing{{- end -}}
{{- define "strata.auditSyslogDir" -}}/etc/strata-audit-syslog{{- end -}}
{{- define "strata.auditPreviousKeysDir" -}}/etc/strata-audit-previous-keys{{- end -}}
