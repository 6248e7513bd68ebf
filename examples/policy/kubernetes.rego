# Rules over Kubernetes objects, as the API server would store them.
package main

import rego.v1

workloads := {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}

deny contains msg if {
	input.kind in workloads
	not input.metadata.labels.owner
	msg := sprintf("%s/%s has no owner label", [input.kind, input.metadata.name])
}
