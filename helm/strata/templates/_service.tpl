{{/*
One Strata service: ConfigMap (its Quarkus configuration), ServiceAccount, Deployment, Services
(HTTP, and DIMSE when it has an AE), HorizontalPodAutoscaler, PodDisruptionBudget and
NetworkPolicy. A service's template is one line:

  {{ include "strata.service" (dict "root" . "name" "ingest" "properties" $props "kafka" true "postgresql" false "s3" true) }}

properties: its Quarkus properties as a dict (the chart's wiring; .Values.<name>.config wins);
kafka/postgresql/s3: which engines it talks to (environment, secrets, egress rules).
Optional: values (its values key when not the name, e.g. storageTiering), volumes (list of
{name, mountPath, and secret or configMap}: mounted read-only), secretEnv (list of {name, secret,
key}), extraEgress (NetworkPolicy egress rules), extraChecksum (what else rolls the pods when it
changes; checksum/secrets rolls the pods on a new secretsRevision), dimse (the DIMSE listener's
values when not <values>.dimse: {enabled, port, service, allowFrom}). With <values>.dimse.tls.enabled
the DICOM TLS listener's key and trust stores come from <values>.dimse.tls.existingSecret, mounted
at /etc/strata/dimse-tls.
*/}}
{{- define "strata.service" -}}
{{- $root := .root -}}
{{- $name := .name -}}
{{- $v := index $root.Values (.values | default $name) -}}
{{- if $v.enabled -}}
{{- $fullname := include "strata.serviceName" . -}}
{{- $sel := include "strata.selectorLabels" . -}}
{{- $oidc := dict
  "quarkus.oidc.auth-server-url" (required "oidc.authServerUrl is required: the Keycloak realm URL tokens name as iss (docs/security.md)" $root.Values.oidc.authServerUrl)
  "quarkus.oidc.token.audience" $root.Values.oidc.audience
-}}
{{- /* The DIMSE listener's values: <values>.dimse, or what the include names (routing's
       commitment listener). */ -}}
{{- $d := dict -}}
{{- if .dimse -}}{{- $d = .dimse -}}{{- else if hasKey $v "dimse" -}}{{- $d = $v.dimse -}}{{- end -}}
{{- $dimse := and (hasKey $d "enabled") $d.enabled -}}
{{- $tls := and $dimse (hasKey $d "tls") $d.tls.enabled -}}
{{- $volumes := .volumes | default list -}}
{{- $secretEnv := .secretEnv | default list -}}
{{- $wiring := deepCopy .properties -}}
{{- if $tls -}}
{{- $tlsSecret := required (printf "%s.dimse.tls.existingSecret is required with %s.dimse.tls.enabled: a Secret with key-store.p12, trust-store.p12 and store-password (helm/strata/README.md, DICOM TLS)" (.values | default $name) (.values | default $name)) $d.tls.existingSecret -}}
{{- $prefix := printf "strata.%s.dimse.tls." $name -}}
{{- $_ := set $wiring (print $prefix "key-store") (print (include "strata.dimseTlsDir" .) "/key-store.p12") -}}
{{- $_ := set $wiring (print $prefix "trust-store") (print (include "strata.dimseTlsDir" .) "/trust-store.p12") -}}
{{- $_ := set $wiring (print $prefix "port") $d.tls.port -}}
{{- $_ := set $wiring (print $prefix "client-auth") $d.tls.clientAuth -}}
{{- $volumes = append $volumes (dict "name" "dimse-tls" "secret" $tlsSecret "mountPath" (include "strata.dimseTlsDir" .)) -}}
{{- /* The packaged configuration reads both stores' password from this variable. */ -}}
{{- $secretEnv = append $secretEnv (dict "name" "STRATA_DIMSE_TLS_STORE_PASSWORD" "secret" $tlsSecret "key" "store-password") -}}
{{- end -}}
{{- $props := merge (dict) ($v.config | default dict) $wiring $oidc -}}
{{- /* The Secrets the pods read (environment and mounts). */ -}}
{{- $secretNames := list -}}
{{- if .s3 }}{{- $secretNames = append $secretNames (include "strata.s3Secret" $root) -}}{{- end }}
{{- if .postgresql }}{{- $secretNames = append $secretNames (include "strata.postgresSecret" $root) -}}{{- end }}
{{- range $secretEnv }}{{- $secretNames = append $secretNames .secret -}}{{- end }}
{{- range $volumes }}{{- with .secret }}{{- $secretNames = append $secretNames . -}}{{- end }}{{- end }}
{{- range $v.extraEnv }}{{- if and .valueFrom .valueFrom.secretKeyRef }}{{- $secretNames = append $secretNames .valueFrom.secretKeyRef.name -}}{{- end }}{{- end }}
{{- $secretNames = $secretNames | uniq | sortAlpha -}}
{{- $usesSecrets := gt (len $secretNames) 0 -}}
{{- $replicas := int $v.replicaCount -}}
{{- $minReplicas := $replicas -}}
{{- if $v.autoscaling.enabled -}}{{- $minReplicas = int $v.autoscaling.minReplicas -}}{{- end -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $fullname }}-config
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
data:
  application.properties: |
    # {{ $name }}'s configuration over its packaged application.properties (values: {{ $name }}.config).
    {{- range $key := keys $props | sortAlpha }}
    {{ $key }}={{ index $props $key }}
    {{- end }}
---
{{- if $root.Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
  {{- with $root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ $root.Values.serviceAccount.automountToken }}
---
{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- $sel | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "strata.baseLabels" $root | nindent 8 }}
        {{- $sel | nindent 8 }}
      annotations:
        # A changed configuration rolls the pods (Quarkus reads it at start only).
        checksum/config: {{ toJson (list $props .extraChecksum) | sha256sum }}
        checksum/known-aes: {{ toJson $root.Values.knownAes | sha256sum }}
        {{- if $usesSecrets }}
        # The chart cannot see inside Secrets it does not render: secretsRevision rolls the pods.
        checksum/secrets: {{ toJson (list $root.Values.secretsRevision $secretNames) | sha256sum }}
        {{- end }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ if $root.Values.serviceAccount.create }}{{ $fullname }}{{ else }}default{{ end }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: 60
      {{- if $root.Values.topologySpread.enabled }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: {{ $root.Values.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- $sel | nindent 14 }}
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: {{ $root.Values.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- $sel | nindent 14 }}
      {{- end }}
      containers:
        - name: {{ $name }}
          image: {{ include "strata.image" . }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            {{- if $dimse }}
            - name: dimse
              containerPort: {{ $d.port }}
              protocol: TCP
            {{- end }}
            {{- if $tls }}
            - name: dimse-tls
              containerPort: {{ $d.tls.port }}
              protocol: TCP
            {{- end }}
          env:
            {{- if $v.jvmOptions }}
            - name: JDK_JAVA_OPTIONS
              value: {{ $v.jvmOptions | quote }}
            {{- end }}
            {{- if .s3 }}
            - name: STRATA_S3_ACCESS_KEY
              valueFrom:
                secretKeyRef: {name: {{ include "strata.s3Secret" $root }}, key: access-key}
            - name: STRATA_S3_SECRET_KEY
              valueFrom:
                secretKeyRef: {name: {{ include "strata.s3Secret" $root }}, key: secret-key}
            {{- end }}
            {{- if .postgresql }}
            - name: STRATA_POSTGRES_USERNAME
              valueFrom:
                secretKeyRef: {name: {{ include "strata.postgresSecret" $root }}, key: username}
            - name: STRATA_POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef: {name: {{ include "strata.postgresSecret" $root }}, key: password}
            {{- end }}
            {{- range $secretEnv }}
            - name: {{ .name }}
              valueFrom:
                secretKeyRef: {name: {{ .secret }}, key: {{ .key }}}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: {{ $root.Values.probes.startup.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: {{ $root.Values.probes.liveness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: {{ $root.Values.probes.readiness.periodSeconds }}
            failureThreshold: {{ $root.Values.probes.readiness.failureThreshold }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: {{ include "strata.configDir" . }}
              readOnly: true
            - name: known-aes
              mountPath: /etc/strata
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- range $volumes }}
            - name: {{ .name }}
              mountPath: {{ .mountPath }}
              readOnly: true
            {{- end }}
      volumes:
        - name: config
          configMap:
            name: {{ $fullname }}-config
        - name: known-aes
          configMap:
            name: {{ include "strata.knownAesConfigMap" $root }}
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSize }}
        {{- range $volumes }}
        - name: {{ .name }}
          {{- if .secret }}
          secret:
            secretName: {{ .secret }}
            # Readable by the service's group (fsGroup) only.
            defaultMode: 0440
          {{- else }}
          configMap:
            name: {{ .configMap }}
          {{- end }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- $sel | nindent 4 }}
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
      appProtocol: http
{{- if $dimse }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $fullname }}-dimse
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
  {{- with $d.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $d.service.type }}
  {{- if ne $d.service.type "ClusterIP" }}
  # DICOM peers keep their address: no SNAT, so the NetworkPolicy sees the real caller.
  externalTrafficPolicy: Local
  {{- end }}
  {{- with $d.service.loadBalancerSourceRanges }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  selector:
    {{- $sel | nindent 4 }}
  ports:
    - name: dimse
      port: {{ $d.port }}
      targetPort: dimse
      protocol: TCP
      {{- if and (eq $d.service.type "NodePort") $d.service.nodePort }}
      nodePort: {{ $d.service.nodePort }}
      {{- end }}
    {{- if $tls }}
    - name: dimse-tls
      port: {{ $d.tls.port }}
      targetPort: dimse-tls
      protocol: TCP
      {{- if and (eq $d.service.type "NodePort") $d.tls.nodePort }}
      nodePort: {{ $d.tls.nodePort }}
      {{- end }}
    {{- end }}
{{- end }}
{{- $keda := and (hasKey $v.autoscaling "keda") $v.autoscaling.keda.enabled -}}
{{- if and $v.autoscaling.enabled (not $keda) }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $fullname }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- if gt $minReplicas 1 }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
spec:
  maxUnavailable: {{ $v.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- $sel | nindent 6 }}
{{- end }}
{{- if $root.Values.networkPolicy.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "strata.baseLabels" $root | nindent 4 }}
    {{- $sel | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- $sel | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - {port: http, protocol: TCP}
      {{- with $root.Values.networkPolicy.httpAllowFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- if $dimse }}
    - ports:
        - {port: dimse, protocol: TCP}
        {{- if $tls }}
        - {port: dimse-tls, protocol: TCP}
        {{- end }}
      {{- with $d.allowFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
  egress:
    - to:
        - namespaceSelector:
            {{- toYaml $root.Values.networkPolicy.dns.namespaceSelector | nindent 12 }}
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
    {{- if .kafka }}
    {{- include "strata.egress" (dict "port" (ternary 9092 $root.Values.kafka.port $root.Values.strimzi.enabled) "peers" $root.Values.kafka.networkPolicyPeers "operator" $root.Values.strimzi.enabled "selector" (dict "strimzi.io/cluster" $root.Values.strimzi.clusterName)) | nindent 4 }}
    {{- end }}
    {{- if .postgresql }}
    {{- include "strata.egress" (dict "port" $root.Values.postgresql.port "peers" $root.Values.postgresql.networkPolicyPeers "operator" $root.Values.cloudnativepg.enabled "selector" (dict "cnpg.io/cluster" $root.Values.cloudnativepg.clusterName)) | nindent 4 }}
    {{- end }}
    {{- if .s3 }}
    {{- include "strata.egress" (dict "port" (ternary 9000 $root.Values.s3.port $root.Values.minio.enabled) "peers" $root.Values.s3.networkPolicyPeers "operator" $root.Values.minio.enabled "selector" (dict "v1.min.io/tenant" $root.Values.minio.tenantName)) | nindent 4 }}
    {{- end }}
    {{- /* Keycloak: the services download the realm's keys (JWKS) and cache them. */}}
    {{- include "strata.egress" (dict "port" (include "strata.oidcPort" $root) "peers" $root.Values.oidc.networkPolicyPeers "operator" false) | nindent 4 }}
    {{- with .extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* One egress rule to an engine: its pods when the operator runs it, else the configured peers
     (any address when none are given). */}}
{{- define "strata.egress" -}}
- ports:
    - {port: {{ .port }}, protocol: TCP}
  {{- if .operator }}
  to:
    - podSelector:
        matchLabels:
          {{- toYaml .selector | nindent 10 }}
  {{- else if .peers }}
  to:
    {{- toYaml .peers | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* The port of the OIDC issuer URL (443 for https, 80 for http when it names none). */}}
{{- define "strata.oidcPort" -}}
{{- $u := urlParse .Values.oidc.authServerUrl -}}
{{- $hostPort := splitList ":" $u.host -}}
{{- if gt (len $hostPort) 1 -}}{{ last $hostPort }}{{- else if eq $u.scheme "http" -}}80{{- else -}}443{{- end -}}
{{- end -}}
