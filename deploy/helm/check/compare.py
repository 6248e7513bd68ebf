# Compares two multi-document YAML files object by object (kind, name), ignoring Helm-only
# labels and checksum annotations; exits 1 on a difference. For deploy/helm/check/check.sh.
import yaml, sys
def load(p):
    out={}
    for d in yaml.safe_load_all(open(p)):
        if not d: continue
        out[(d['kind'], d['metadata']['name'])]=d
    return out
def norm(o):
    if isinstance(o, dict):
        r={}
        for k,v in o.items():
            if k=='labels' and isinstance(v,dict):
                v={a:b for a,b in v.items() if a not in ('app.kubernetes.io/managed-by','app.kubernetes.io/instance','helm.sh/chart','app.kubernetes.io/part-of')}
            if k=='annotations' and isinstance(v,dict):
                v={a:b for a,b in v.items() if not a.startswith('checksum/')}
                if not v: continue
            r[k]=norm(v)
        return r
    if isinstance(o, list): return [norm(x) for x in o]
    return o
a=load(sys.argv[1]); b=load(sys.argv[2])
bad = set(a) != set(b)
print("only kustomize:", sorted(set(a)-set(b))); print("only helm:", sorted(set(b)-set(a)))
for k in sorted(set(a)&set(b)):
    x,y=norm(a[k]),norm(b[k])
    if k[0]=='ConfigMap':
        x['data']['admission.yaml']=yaml.safe_load(x['data']['admission.yaml']); y['data']['admission.yaml']=yaml.safe_load(y['data']['admission.yaml'])
    if x!=y:
        import difflib
        bad = bad or k[0] not in ("Namespace", "NetworkPolicy") or x.get("spec") != y.get("spec")
        print("DIFF", k); print("\n".join(difflib.unified_diff(yaml.safe_dump(x).splitlines(), yaml.safe_dump(y).splitlines(), lineterm='', n=1)))
    else: print("same", k)
sys.exit(1 if bad else 0)
