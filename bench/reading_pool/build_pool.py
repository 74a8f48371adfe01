"""Copy decision-record folders from fetched snapshots into /work/pool (verbatim).

Reads bare git snapshots under /work/.mirror/<owner>+<repo>/repo (HEAD), selects files by
per-repository rules, applies the size (200 KB) and count (~150) caps and writes
/work/pool/<owner>__<repo>/<path>. Prints a summary used for pool.yaml.
"""
import json, re, subprocess, sys, os

MIRROR = "/work/.mirror"
POOL = "/work/pool"
MAXSIZE = 200 * 1024

def git(repo, *args):
    return subprocess.run(["git", "--git-dir", f"{MIRROR}/{repo.replace('/', '+')}/repo", *args],
                          check=True, capture_output=True).stdout

def tree(repo):
    out = git(repo, "ls-tree", "-r", "-l", "-z", "HEAD").decode()
    for ent in out.split("\0"):
        if not ent:
            continue
        meta, path = ent.split("\t", 1)
        mode, typ, sha, size = meta.split()
        if typ == "blob" and size.isdigit():   # absent blobs (snapshot lacks files >= 4 MiB) show as BAD
            yield path, int(size)

def num(path):
    m = re.findall(r"\d+", os.path.basename(path))
    return int(m[0]) if m else -1

# repo -> (licence, format, kind, include regex, exclude regex, selector)
bips_licensed = None

def bips_select(repo, files):
    keep = []
    for p, s in files:
        head = git(repo, "show", f"HEAD:{p}").decode("utf-8", "replace")[:3000]
        if re.search(r"^\s*License:\s*\S", head, re.M):
            keep.append((p, s))
    keep.sort(key=lambda x: num(x[0]))
    return keep[:150]

def eep_select(repo, files):
    keep = []
    for p, s in files:
        if p.endswith("README.md"):
            keep.append((p, s)); continue
        txt = git(repo, "show", f"HEAD:{p}").decode("utf-8", "replace")
        if re.search(r"public domain|CC0|Creative Commons", txt, re.I):
            keep.append((p, s))
    return keep

def sirius_select(repo, files):
    # the 150 highest-numbered ADRs (contiguous range), plus the template
    adrs = sorted([f for f in files if re.match(r"doc/adrs/\d", f[0])], key=lambda x: (num(x[0]), x[0]))
    tmpl = [f for f in files if f[0] == "doc/adrs/adr.adoc"]
    return adrs[-150:] + tmpl

def xep_select(repo, files):
    xs = sorted([f for f in files if re.match(r"xep-\d{4}\.xml$", f[0])], key=lambda x: num(x[0]))
    return xs[:150]

def swift_select(repo, files):
    ps = sorted([f for f in files if re.match(r"proposals/\d{4}-.*\.md$", f[0])], key=lambda x: num(x[0]))
    return ps[:150]

RULES = {
    "eclipse-sirius/sirius-web": ("EPL-2.0", "adoc", "adr", r"^doc/adrs/[^/]+\.adoc$", None, sirius_select),
    "eclipse-syson/syson": ("EPL-2.0", "adoc", "adr", r"^doc/adrs/[^/]+\.[Aa]doc$", None, None),
    "opencypher/openCypher": ("Apache-2.0", "adoc", "rfc", r"^cip/.*\.adoc$", None, None),
    "wildfly/wildfly-proposals": ("Apache-2.0", "adoc", "spec",
        r"^((ee|ejb|clustering|jaxrs|undertow)/.*\.adoc|README\.adoc|FEATURE_PROCESS\.adoc|design-doc-template\.adoc)$", None, None),
    "docToolchain/Bausteinsicht": ("MIT", "adoc", "adr", r"^src/docs/arc42/(ADRs/[^/]+\.adoc|09_architecture_decisions\.adoc|chapters/09_architecture_decisions\.adoc)$", None, None),
    "numpy/numpy": ("BSD-3-Clause", "rst", "rfc", r"^doc/neps/[^/]+\.rst$", None, None),
    "scikit-learn/enhancement_proposals": ("BSD-3-Clause", "rst", "rfc", r"^(slep\d+/[^/]+\.rst|index\.rst|README\.rst|slep_template\.rst|under_review\.rst|accepted\.rst|rejected\.rst)$", None, None),
    "astropy/astropy-APEs": ("CC-BY-4.0", "rst", "rfc", r"^(APE[^/]*\.rst|README\.rst)$", None, None),
    "django/deps": ("CC0-1.0", "rst", "rfc", r"\.(rst|md)$", None, None),
    "networkx/networkx": ("BSD-3-Clause", "rst", "rfc", r"^doc/developer/nxeps/[^/]+\.rst$", None, None),
    "SovereignCloudStack/standards": ("CC-BY-SA-4.0", "md", "standard", r"^Standards/[^/]+\.md$", None, None),
    "erlang/eep": ("public-domain", "md", "rfc", r"^(eeps/eep-\d+\.md|README\.md)$", None, eep_select),
    "Kotlin/KEEP": ("Apache-2.0", "md", "rfc", r"^proposals/.*\.md$", None, None),
    "conda/ceps": ("CC0-1.0", "md", "rfc", r"^(cep-\d+\.md|README\.md)$", None, None),
    "cometbft/cometbft": ("Apache-2.0", "md", "adr", r"^docs/references/(architecture|rfc)/.*\.md$", None, None),
    "fluxcd/flux2": ("Apache-2.0", "md", "rfc", r"^rfcs/.*\.md$", None, None),
    "scala/improvement-proposals": ("Apache-2.0", "md", "rfc", r"^(content/[^/]+\.md|sip-template\.md)$", None, None),
    "swiftlang/swift-evolution": ("Apache-2.0", "md", "rfc", r"^proposals/[^/]+\.md$", None, swift_select),
    "bitcoin/bips": ("BSD-2-Clause/BSD-3-Clause/CC0-1.0/PD/MIT (per-BIP License header)", "mediawiki", "rfc", r"^bip-\d+\.(mediawiki|md)$", None, bips_select),
    "xsf/xeps": ("XSF IPR (MIT-style, LICENSE.txt)", "xml", "standard", r"^xep-\d{4}\.xml$", None, xep_select),
}

def main():
    summary = []
    for repo, (lic, fmt, kind, inc, exc, sel) in RULES.items():
        files = [(p, s) for p, s in tree(repo) if re.search(inc, p) and not (exc and re.search(exc, p))]
        skipped = [(p, s) for p, s in files if s > MAXSIZE]
        files = [(p, s) for p, s in files if s <= MAXSIZE]
        if sel:
            files = sel(repo, files)
        files.sort()
        commit = git(repo, "rev-parse", "HEAD").decode().strip()
        dest = f"{POOL}/{repo.replace('/', '__')}"
        for p, s in files:
            data = git(repo, "show", f"HEAD:{p}")
            out = os.path.join(dest, p)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as fh:
                fh.write(data)
        folders = sorted({os.path.dirname(p) or "." for p, _ in files})
        summary.append(dict(repo=repo, commit=commit, licence=lic, format=fmt, kind=kind,
                            folders=folders, files=len(files), skipped_large=[p for p, _ in skipped]))
        print(repo, len(files), "skipped>200KB:", [p for p, _ in skipped], file=sys.stderr)
    json.dump(summary, sys.stdout, indent=1)

if __name__ == "__main__":
    main()
