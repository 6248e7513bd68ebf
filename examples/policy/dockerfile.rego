# Rules over Dockerfiles (docs/policy-input/dockerfile.schema.json).
package main

import rego.v1

deny contains msg if {
	input.kind == "Dockerfile"
	some stage in input.stages
	stage.final
	not contains(stage.image, ":")
	not contains(stage.image, "@")
	stage.image != "scratch"
	msg := sprintf("line %d: pin the final base image %q to a tag or digest", [stage.line, stage.image])
}

warn contains msg if {
	input.kind == "Dockerfile"
	some ins in input.instructions
	some cmd in ins.commands
	cmd.name == "curl"
	some other in ins.commands
	other.name in {"sh", "bash"}
	msg := sprintf("line %d: a script piped from curl into a shell", [ins.line])
}
