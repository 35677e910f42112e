# Strata: `make run` starts the whole archive on the embedded platform, `make test` runs every test.
# Every target uses a JDK >= 21 found by deploy/scripts/find-jdk.sh (JAVA_HOME, PATH, /usr/lib/jvm).

SHELL := /bin/bash
JAVA_HOME := $(shell deploy/scripts/find-jdk.sh)
export JAVA_HOME
ifeq ($(JAVA_HOME),)
$(error No JDK >= 21 found: see the message above)
endif
export PATH := $(JAVA_HOME)/bin:$(PATH)

MVN := ./mvnw -B --no-transfer-progress
STRATA_DATA_DIR ?= $(CURDIR)/var
export STRATA_DATA_DIR

.PHONY: token help build run test bench chaos fmt fuzz deps-run deps-test clean images manifests

help:
	@echo "make run    build what is missing, start the archive on the embedded platform (data in ./var);"
	@echo "            DICOMweb at http://127.0.0.1:8080/dicomweb, the OHIF viewer at http://127.0.0.1:8080/"
	@echo "make test   every unit and integration test, on real Kafka, PostgreSQL, S3 and Keycloak"
	@echo "make bench  benchmarks (figures go to docs/performance.md); one suite: make bench platform|ingest|index|dicom|dimse|query|auth|viewer|tiering|routing"
	@echo "make chaos  kill suite: kill -9 each service and server mid-run, check nothing acknowledged is lost; storage-tiering after each step of a move; routing mid-send, duplicates at the destination counted (docs/reliability.md)"
	@echo "make fmt    format the code (the build fails on unformatted code)"
	@echo "make fuzz   the DICOM reader's mutation fuzz test 10x longer, then the hostile-input suite of"
	@echo "            every service 25x longer (FUZZ_ITERATIONS, HOSTILE_ITERATIONS, FUZZ_SEED, HOSTILE_ONLY)"
	@echo "make build  compile and package everything, no tests"
	@echo "make token USER=reader  an access token of a shipped test user (reader, writer, admin, auditor, tester; reader-a, reader-b, reader-a-cardiology, writer-a, writer-b, admin-a)"
	@echo "make images OCI image tarballs of the services in deploy/images/target/images (no Docker)"
	@echo "make manifests  render helm/strata into k8s/strata.yaml (the manifests for users without Helm)"

deps-run:
	@deploy/scripts/install-debian-deps.sh run

deps-test:
	@deploy/scripts/install-debian-deps.sh test

build:
	$(MVN) -q install -DskipTests

run: deps-run
	@deploy/scripts/run.sh

# `make token USER=reader`: an access token from make run's Keycloak for a test user of
# deploy/keycloak/strata-realm.json (password = user name), e.g.
# curl -H "Authorization: Bearer $$(make -s token USER=reader)" http://127.0.0.1:8080/dicomweb/studies
STRATA_OIDC_AUTH_SERVER_URL ?= http://127.0.0.1:18080/realms/strata
token:
	@curl -sf -d grant_type=password -d client_id=strata-test -d client_secret=strata-test-secret \
	  --data-urlencode "username=$(USER)" --data-urlencode "password=$(USER)" \
	  "$(STRATA_OIDC_AUTH_SERVER_URL)/protocol/openid-connect/token" \
	  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null \
	  || { echo "no token for $(USER): is make run up, and is $(USER) a user of the realm?" >&2; exit 1; }

test: deps-test
	$(MVN) install

# `make bench` runs every benchmark, `make bench platform` (or another suite name) just one.
ifeq (bench,$(firstword $(MAKECMDGOALS)))
BENCH_SUITES := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
$(eval $(BENCH_SUITES):;@:)
endif

bench: deps-test
	@deploy/scripts/bench.sh $(BENCH_SUITES)

# `make chaos`: the kill suite, not part of `make test` (about 10 minutes, then the tiering and
# routing parts, about 6 each; STRATA_CHAOS_PARTS, STRATA_CHAOS_SECONDS, STRATA_CHAOS_VICTIMS and
# the others in deploy/scripts/chaos.sh make it shorter or longer).
chaos: deps-test
	@deploy/scripts/chaos.sh

# `make fuzz`: libs/dicom-core's MutationFuzzTest with more iterations (350,000 in `make test`,
# about 20 s; the default here takes a few minutes), then each service's HostileInputTest (the
# hostile-input suite, docs/reliability.md) with HOSTILE_ITERATIONS random inputs per randomized
# kind (200 in `make test`; the default here takes about half an hour). FUZZ_SEED=S reproduces a
# reported failure; HOSTILE_ONLY=kind:index sends only that input.
FUZZ_ITERATIONS ?= 3500000
HOSTILE_ITERATIONS ?= 5000
fuzz: deps-test
	$(MVN) -q -pl libs/dicom-core test -Dtest=MutationFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dstrata.fuzz.iterations=$(FUZZ_ITERATIONS) $(if $(FUZZ_SEED),-Dstrata.fuzz.seed=$(FUZZ_SEED))
	$(MVN) -q -pl services/ingest,services/query,services/index,services/audit -am test -Dtest=HostileInputTest \
	  -Dsurefire.failIfNoSpecifiedTests=false -Dstrata.hostile.iterations=$(HOSTILE_ITERATIONS) \
	  $(if $(FUZZ_SEED),-Dstrata.hostile.seed=$(FUZZ_SEED)) $(if $(HOSTILE_ONLY),-Dstrata.hostile.only=$(HOSTILE_ONLY))

# OCI image layout tarballs, one per service, built without a Docker daemon (ADR 0021).
images:
	$(MVN) -q -pl deploy/images -am package -DskipTests

# k8s/strata.yaml from the chart (deploy/chart-test's PlainManifestsTest checks they agree).
manifests:
	$(MVN) -q -pl deploy/chart-test -am test -Dtest=PlainManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dstrata.k8s.write=true

fmt:
	$(MVN) -q spotless:apply -pl '!libs/platform-dist'

clean:
	$(MVN) -q clean
