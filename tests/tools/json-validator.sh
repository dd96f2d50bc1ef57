#!/usr/bin/env bash
# tests/tools/json-validator.sh DIR: installs a JSON Schema validator (ajv,
# with draft-04 support and the standard formats) and the official SARIF 2.1.0 schema (shipped in
# Microsoft's @microsoft/jest-sarif package) from the npm registry into DIR,
# once, at pinned versions. Prints DIR on success; exits 1 (saying why on
# stderr) when Node.js, npm or the registry is not there, so a test that
# needs it can count itself skipped.
set -euo pipefail
dir=$1
if [[ -f "$dir/ready" ]]; then
    echo "$dir"
    exit 0
fi
for tool in node npm tar; do
    command -v "$tool" >/dev/null || { echo "json-validator: $tool is not installed" >&2; exit 1; }
done
mkdir -p "$dir"
log="$dir/install.log"
if ! (cd "$dir" && npm install --no-save --no-audit --no-fund --prefix . ajv@8.17.1 ajv-draft-04@1.0.0 ajv-formats@3.0.1 >"$log" 2>&1 &&
    npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >>"$log" 2>&1); then
    echo "json-validator: npm could not install the validator (see $log)" >&2
    exit 1
fi
tar -xzf "$dir/microsoft-jest-sarif-1.0.0-beta.0.tgz" -C "$dir" package/lib/schemas/sarif-2.1.0-rtm.5.json
mv "$dir/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$dir/sarif-2.1.0.schema.json"
touch "$dir/ready"
echo "$dir"
