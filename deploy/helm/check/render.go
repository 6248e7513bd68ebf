// A stand-in for `helm template` (no Helm here): text/template + sprig + include/toYaml, as
// Helm defines them, over values.yaml and override files. For deploy/helm/check/check.sh only.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/ghodss/yaml"
)

func main() {
	chart := os.Args[1]
	vals := map[string]interface{}{}
	b, _ := os.ReadFile(filepath.Join(chart, "values.yaml"))
	if err := yaml.Unmarshal(b, &vals); err != nil {
		panic(err)
	}
	for _, f := range os.Args[2:] { // overrides files
		ob, _ := os.ReadFile(f)
		o := map[string]interface{}{}
		if err := yaml.Unmarshal(ob, &o); err != nil {
			panic(err)
		}
		merge(vals, o)
	}
	t := template.New("root")
	funcs := sprig.TxtFuncMap()
	funcs["toYaml"] = func(v interface{}) string {
		out, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(out), "\n")
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf bytes.Buffer
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	t.Funcs(funcs).Option("missingkey=error")
	files, _ := filepath.Glob(filepath.Join(chart, "templates", "*"))
	sort.Strings(files)
	for _, f := range files {
		src, _ := os.ReadFile(f)
		if _, err := t.New(filepath.Base(f)).Parse(string(src)); err != nil {
			panic(err)
		}
	}
	data := map[string]interface{}{
		"Values":  vals,
		"Release": map[string]interface{}{"Name": "palisade", "Namespace": "palisade-system", "Service": "Helm"},
		"Chart":   map[string]interface{}{"Name": "palisade", "Version": "0.1.0"},
	}
	for _, f := range files {
		n := filepath.Base(f)
		if strings.HasPrefix(n, "_") {
			continue
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, n, data); err != nil {
			panic(err)
		}
		if strings.TrimSpace(buf.String()) == "" {
			continue
		}
		fmt.Printf("---\n# Source: palisade/templates/%s\n%s\n", n, strings.TrimLeft(buf.String(), "\n"))
	}
}

func merge(dst, src map[string]interface{}) {
	for k, v := range src {
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				merge(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}
