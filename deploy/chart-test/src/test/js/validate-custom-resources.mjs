// Validates custom resources against their CRDs' OpenAPI schemas, with the validators that
// kubernetes-models-ts generates from each operator's published CRDs.
// Input: a JSON array of objects (argv[2]). Output: one line per object, "ok <kind>/<name>" or
// "invalid <kind>/<name>: <reasons>", or "unknown <apiVersion> <kind>" for a kind without a model.
// Exit status 0 only when every object is ok.
import { readFileSync } from "node:fs";
import { Cluster } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster";
import { Pooler } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Pooler";
import { ScheduledBackup } from "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";

const models = new Map(
  [Cluster, Pooler, ScheduledBackup, ScaledObject, TriggerAuthentication].map((m) => [
    `${m.apiVersion} ${m.kind}`,
    m,
  ]),
);

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failed = false;
for (const object of objects) {
  const id = `${object.kind}/${object.metadata?.name}`;
  const Model = models.get(`${object.apiVersion} ${object.kind}`);
  if (!Model) {
    console.log(`unknown ${object.apiVersion} ${object.kind}`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok ${id}`);
  } catch (e) {
    console.log(`invalid ${id}: ${String(e.message).replace(/\s+/g, " ")}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
