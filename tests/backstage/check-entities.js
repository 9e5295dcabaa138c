// Checks Backstage catalog files with Backstage's own code (@backstage/catalog-model): the entity
// policies the catalog backend applies by default, then the kind validator. One JSON line per
// document on stdout: {"file", "index", "kind", "name", "ok", "error"}. Exit 1 if any failed.
'use strict';

const fs = require('fs');
const yaml = require('js-yaml');
const cm = require('@backstage/catalog-model');

const policy = cm.EntityPolicies.allOf([
  new cm.SchemaValidEntityPolicy(),
  new cm.DefaultNamespaceEntityPolicy(),
  new cm.NoForeignRootFieldsEntityPolicy(),
  new cm.FieldFormatEntityPolicy(cm.makeValidator()),
]);

const kindValidators = {
  API: cm.apiEntityV1alpha1Validator,
  Component: cm.componentEntityV1alpha1Validator,
  Domain: cm.domainEntityV1alpha1Validator,
  Group: cm.groupEntityV1alpha1Validator,
  Location: cm.locationEntityV1alpha1Validator,
  Resource: cm.resourceEntityV1alpha1Validator,
  System: cm.systemEntityV1alpha1Validator,
  User: cm.userEntityV1alpha1Validator,
};

async function check(entity) {
  const enforced = await policy.enforce(entity);
  const validator = kindValidators[enforced.kind];
  if (!validator || !(await validator.check(enforced))) {
    throw new Error(`no Backstage validator accepts kind ${enforced.kind}`);
  }
}

async function main(files) {
  let failed = false;
  for (const file of files) {
    const documents = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d != null);
    for (const [index, entity] of documents.entries()) {
      const line = { file, index, kind: entity?.kind, name: entity?.metadata?.name, ok: true };
      try {
        await check(entity);
      } catch (error) {
        failed = true;
        Object.assign(line, { ok: false, error: `${error.name}: ${error.message}` });
      }
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
});
