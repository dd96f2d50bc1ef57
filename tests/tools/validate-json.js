// tests/tools/validate-json.js VALIDATOR_DIR SCHEMA FILE...: validates each
// JSON FILE against SCHEMA (draft-04 or draft-07, by its $schema) with ajv,
// installed in VALIDATOR_DIR by json-validator.sh. Prints PASS or FAIL per
// file with the first errors, and exits 1 if any file fails.
"use strict";
const fs = require("fs");
const path = require("path");
const [validatorDir, schemaPath, ...files] = process.argv.slice(2);
const load = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
const requireFrom = (name) => require(path.join(path.resolve(validatorDir), "node_modules", name));
const schema = load(schemaPath);
const draft04 = String(schema.$schema || "").includes("draft-04");
const Ajv = draft04 ? requireFrom("ajv-draft-04") : requireFrom("ajv");
// unicodeRegExp off: the SARIF schema has a pattern that is valid only
// without the u flag.
const ajv = new (Ajv.default || Ajv)({ allErrors: true, strict: false, unicodeRegExp: false });
const addFormats = requireFrom("ajv-formats");
(addFormats.default || addFormats)(ajv);
const validate = ajv.compile(schema);
let failed = 0;
for (const file of files) {
    let ok = false;
    let why = "";
    try {
        ok = validate(load(file));
        why = ok ? "" : ajv.errorsText(validate.errors.slice(0, 3));
    } catch (error) {
        why = error.message;
    }
    if (ok) {
        console.log(`PASS ${path.basename(file)} is valid against ${path.basename(schemaPath)}`);
    } else {
        failed++;
        console.log(`FAIL ${path.basename(file)} is not valid against ${path.basename(schemaPath)}: ${why}`);
    }
}
process.exit(failed ? 1 : 0);
