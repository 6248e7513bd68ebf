# Rules over a whole image or tree: its config, packages, vulnerabilities and secrets
# (docs/policy-input/artifact.schema.json).
package main

import rego.v1

deny contains msg if {
	input.kind == "image"
	user := object.get(input.image.config, "User", "")
	user in {"", "root", "0", "0:0"}
	msg := "the image runs as root: set USER to an unprivileged user"
}

deny contains {"msg": msg, "severity": "CRITICAL"} if {
	some v in input.vulnerabilities
	v.severity == "CRITICAL"
	count(v.vulnerability.fixed_versions) > 0
	msg := sprintf("%s in %s %s has a fix: %v", [v.rule_id, v.vulnerability.package_name, v.vulnerability.installed_version, v.vulnerability.fixed_versions])
}

warn contains msg if {
	some s in input.secrets
	msg := sprintf("secret %s in %s", [s.rule_id, s.location.path])
}
