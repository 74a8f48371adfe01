"""Hand labels for the 60 sampled records (read by a person); writes gold.jsonl."""
import json
import os
P = {
 "swift": "swiftlang__swift-evolution/proposals/",
 "bip": "bitcoin__bips/",
 "keep": "Kotlin__KEEP/proposals/",
 "eep": "erlang__eep/eeps/",
 "sirius": "eclipse-sirius__sirius-web/doc/adrs/",
 "xep": "xsf__xeps/",
 "scala": "scala__improvement-proposals/content/",
 "cbft": "cometbft__cometbft/docs/references/",
 "cep": "conda__ceps/",
 "scs": "SovereignCloudStack__standards/Standards/",
 "nep": "numpy__numpy/doc/neps/",
}
SW_B = "bullet '* Status: **...**' line"
KP_B = "bullet '* **Status**:' line"
XEP_W = "xml <status> element in <header>"
BIP_W = "preamble 'Status:' header in <pre> block"
BIPMD_W = "preamble 'Status:' header in fenced code block"
EEP_W = "indented preamble 'Status:' header"
FM = "front matter status:"
CEP_W = "HTML table row 'Status' (Markdown file)"
MDSEC = "## Status section"
ADSEC = "adoc == Status section"
RSTF = "rst field list :Status:"
SCALA_W = "front matter status: (with stage:)"

def g(src, fmt, status, raw, where, chosen, succ=(), pred=(), note=None):
    return {"source": src, "format": fmt, "status": status, "status_raw": raw, "status_where": where,
            "successor": list(succ), "predecessor": list(pred), "chosen": chosen, "note": note}

G = [
 g(P["swift"]+"0080-failable-numeric-initializers.md","md","accepted","Implemented (Swift 3.1)",SW_B,
   "failable init?(exactly:) conversion initializers on all numeric types",
   note="'Alternatives considered' mentions an earlier throwing-initializer version of the same proposal (not a separate record)."),
 g(P["bip"]+"bip-0172.mediawiki","mediawiki","proposed","Draft",BIP_W,
   "'satoshi'/'satoshis' as the standard name for 1e-8 BTC, abbreviated 'sat'/'sats'",
   note="Compares itself with BIP-176 and BIP-177 (alternatives, not supersession)."),
 g(P["keep"]+"KEEP-0430-explicit-backing-fields.md","md","accepted","Stable in 2.4","bullet '- **Status**:' line",
   "explicit backing field syntax (`field = ...`) with smart cast inside the declaring scope",
   note="'Stable in <version>' read as accepted/implemented."),
 g(P["swift"]+"0131-anyhashable.md","md","accepted","Implemented (Swift 3.0)",SW_B,
   "add type-erased AnyHashable to the standard library"),
 g(P["eep"]+"eep-0010.md","md","proposed","Draft",EEP_W,
   "Unicode as one code point per list element and UTF-8 in binaries, plus a 'unicode' module and utf8 bit syntax",
   note="Body uses 'UTF-8 advantages seem to supersede the disadvantages' (lexical distractor, no supersession)."),
 g(P["sirius"]+"148_improves_edge_layout.adoc","adoc","proposed","Work in progress",ADSEC,
   "integrate the react-flow-smart-edge library to compute edge paths"),
 g(P["bip"]+"bip-0002.mediawiki","mediawiki","superseded","Closed",BIP_W,"revised BIP process: objective status criteria, BIP comments and licensing rules",
   succ=["bitcoin__bips/bip-0003.md"], pred=["?BIP 1"],
   note="Preamble: 'Replaces: 1', 'Proposed-Replacement: 3'. 'Closed' is a BIP-3 status (gathers Deferred/Obsolete/Rejected/Replaced/Withdrawn); read as superseded because a replacement is named. BIP 1 is not in the pool (it carries no licence header). The body is a process document full of status vocabulary (Draft/Proposed/Final/Replaced/Obsolete) that describes other BIPs, not this one."),
 g(P["xep"]+"xep-0054.xml","xml","accepted","Active",XEP_W,
   "document the vcard-temp vCard-XML format in use in the Jabber community",
   note="<type>Historical</type>. Intro says 'A future specification will recommend a standards-track protocol to supersede this informational document', but names none and <supersededby/> is empty. Revision 1.0 remark: 'Updated status to Active'."),
 g(P["scala"]+"014-futures-promises.md","md","accepted","shipped",SCALA_W,
   "redesign scala.concurrent around a non-blocking Future/Promise API (plus Duration)",
   note="front matter also has 'stage: completed'."),
 g(P["cbft"]+"architecture/tendermint-core/adr-078-nonzero-genesis.md","md","accepted","Implemented",MDSEC,
   "allow chains to start from an arbitrary initial_height in genesis (no chain linking)",
   note="Changelog mentions 'Drop chain linking' and migration from RFC 002 (tendermint/spec), not a pool record."),
 g(P["xep"]+"xep-0020.xml","xml","deprecated","Deprecated",XEP_W,"negotiate feature options with jabber:x:data forms wrapped in <feature/>",
   note="Revision 1.6: 'Deprecated as per Council vote on 2018-03-07'; earlier revisions mention advancement to Draft. <supersededby/> empty; no successor named."),
 g(P["swift"]+"0095-any-as-existential.md","md","accepted","Implemented (Swift 3.0)",SW_B,
   "replace protocol<P1,P2> with infix P1 & P2 composition; Any becomes a keyword",
   note="Title starts with 'Replace' (replaces a syntax, not a record). Has a 'Previous Revision' link of the same proposal and a returned-for-revision history."),
 g(P["swift"]+"0114-buffer-naming.md","md","accepted","Implemented (Swift 3.0)",SW_B,
   "rename Value/value to Header/header in ManagedBuffer APIs"),
 g(P["xep"]+"xep-0017.xml","xml","rejected","Rejected",XEP_W,None,
   note="Uses &PUBLICDOMAINNOTICE; instead of &LEGALNOTICE;."),
 g(P["xep"]+"xep-0112.xml","xml","deprecated","Obsolete",XEP_W,"<physloc/> element published via pubsub for physical location",
   succ=["xsf__xeps/xep-0080.xml"],
   note="<supersededby><spec>XEP-0080</spec> and abstract/intro: 'folded into XEP-0080'. Status word is 'Obsolete', normalised to deprecated per the mapping (obsolete -> deprecated), although a person would also call it superseded. Last revision remark says 'advanced status to Draft' (history, not current)."),
 g(P["xep"]+"xep-0133.xml","xml","accepted","Active",XEP_W,
   "best-practice ad-hoc commands (XEP-0050) for service administration",
   note="Contains a use-case section titled 'Get User Password (retracted)' - section-level, not the document's status."),
 g(P["xep"]+"xep-0061.xml","xml","proposed","Deferred",XEP_W,
   "sharednote namespace extending messages with display hints",
   note="Revision 0.2 remark: changed to Deferred at the author's request pending an implementation."),
 g(P["cep"]+"cep-0032.md","md","accepted","Accepted",CEP_W,
   "specify conda environment structure and lifecycle (conda-meta/history marks an environment)"),
 g("wildfly__wildfly-proposals/jaxrs/WFLY-10503_EAP7-1009_SPI_to_modify_resource_metadata.adoc","adoc",None,None,None,
   "RESTEasy SPI (ResourceClassProcessor) to modify resource metadata",
   note="WildFly analysis documents carry no status; YAML front matter has only 'categories'."),
 g("opencypher__openCypher/cip/1.adopted/CIP2016-12-19-Reserved-keywords.adoc","adoc",None,None,None,
   "define reserved words that may not be used as variables, function names or parameters unless escaped",
   note="No status inside the document; only the folder name '1.adopted' implies adoption (not counted, per 'from the document itself')."),
 g(P["xep"]+"xep-0005.xml","xml","deprecated","Obsolete",XEP_W,None,
   note="Informational list of Jabber Interest Groups; records no decision. Revision 1.1 remark: 'Changed Status to Obsolete per approval of XEP-0019'. XEP-0019 is in the pool but is not declared a successor (<supersededby/> empty; XEP-0019 does not mention XEP-0005), so successor left empty."),
 g(P["xep"]+"xep-0086.xml","xml","deprecated","Deprecated",XEP_W,"map legacy numeric error codes to XMPP error conditions and types",
   note="Header status is Deprecated while the latest revision remark (1.0) says 'advanced status to Active' - the revision history lags the header. No successor named."),
 g(P["eep"]+"eep-0066.md","md","accepted","Final/27.0 Implemented in OTP release 27; the regular expression sigils (`~r` and `~R`) are not implemented",EEP_W,
   "Elixir-like sigils (~) for string literals",
   note="Status spans two indented lines; partially implemented."),
 g(P["eep"]+"eep-0020.md","md","proposed","Draft",EEP_W,
   "split atoms into global and local atoms (local atoms garbage-collected)"),
 g(P["scs"]+"scs-0102-v1-image-metadata.md","md","accepted","Stable",FM,
   "standard image metadata properties for provider-managed OS images",
   pred=["?Image-Metadata-Spec.md"],
   note="front matter 'replaces: Image-Metadata-Spec.md' (not in the pool). Reverse link: scs-0102-v2-image-metadata.md (status Draft) declares 'replaces: scs-0102-v1-image-metadata.md', but v1 itself names no successor and is still Stable."),
 g(P["scs"]+"scs-0002-v1-standards-docs-org.md","md","deprecated","Deprecated",FM,
   "move Design-Docs/tools to Tests/ and rename Design-Docs/ to Drafts/",
   succ=["SovereignCloudStack__standards/Standards/scs-0002-v2-standards-docs-org.md"],
   note="front matter 'replaced_by: scs-0002-v2-standards-docs-org.md' with status Deprecated (status word normalised to deprecated; successor recorded). v2 declares 'replaces:' this file."),
 g(P["swift"]+"0094-sequence-function.md","md","accepted","Implemented (Swift 3.0)",SW_B,
   "add sequence(first:next:) and sequence(state:next:) returning UnfoldSequence",
   note="Header 'Previous Proposal: SE-0045' - it re-introduces SE-0045's rejected unfold under a new name; it does not say it replaces SE-0045 (which stays implemented), so predecessor left empty."),
 g(P["cbft"]+"architecture/tendermint-core/adr-014-secp-malleability.md","md","accepted","Implemented",MDSEC,
   "require canonical (lower-s) ECDSA secp256k1 signatures and reject non-canonical ones"),
 g(P["swift"]+"0012-add-noescape-to-public-library-api.md","md","rejected","Rejected",SW_B,None,
   note="Decision Notes link points to the SE-0097 rejection thread."),
 g(P["bip"]+"bip-0054.md","md","accepted","Complete",BIPMD_W,
   "bundle consensus fixes: timewarp timestamp rules, 2500 sigops limit, invalid 64-byte txs, coinbase nLockTime=height-1",
   note="Markdown BIP (BIP-3 style). Acknowledgements: 'builds upon an earlier proposal by Matt Corallo' (BIP-XXXX, unnumbered) - not a supersession."),
 g(P["sirius"]+"175_support_pagination_in_rest_apis.adoc","adoc","proposed","Work in progress",ADSEC,
   "cursor-based pagination (Spring Data scrolling) mapped to SysML API page[size]/page[before]/page[after] parameters"),
 g(P["scs"]+"scs-0214-v1-k8s-node-distribution.md","md","deprecated","Deprecated",FM,
   "distribute control-plane nodes over failure zones (RECOMMENDED standard with opt-out)",
   note="No replaced_by in v1. Reverse link: scs-0214-v2-k8s-node-distribution.md (Stable) declares 'replaces: scs-0214-v1-k8s-node-distribution.md'. Body cites decision record scs-0213-v1 as a basis (not a supersession)."),
 g(P["scs"]+"scs-0104-w1-standard-images-implementation.md","md",None,None,None,None,
   note="Supplement (type: Supplement, supplements: scs-0104-v1-standard-images.md) with implementation/testing notes; front matter has no status. Kept as a record since it is part of the standard set, but it records no decision."),
 g(P["scala"]+"010-picked-signatures.md","md","accepted","shipped",SCALA_W,None,
   note="Stub: body only says 'This was an older SID that can be found here' (kind: SID). Status from front matter only."),
 g(P["sirius"]+"150_add_hide_reveal_fade_unfade_services.adoc","adoc","proposed","Work in progress",ADSEC,
   "add hide/reveal/fade/unfade methods to IDiagramServices"),
 g(P["xep"]+"xep-0138.xml","xml","deprecated","Obsolete",XEP_W,"negotiate XML stream compression, ZLIB mandatory-to-implement",
   note="Revision 2.1: 'Obsolete due to security vulnerability' (CRIME); earlier revisions say advanced to Draft/Final. No successor."),
 g(P["bip"]+"bip-0133.mediawiki","mediawiki","accepted","Deployed",BIP_W,
   "new 'feefilter' P2P message"),
 g(P["keep"]+"stdlib/KEEP-0465-kotlin.test-lazy-assertion-messages.md","md","proposed","Experimental in 2.4.20",KP_B,
   "lazyMessage lambda overloads for kotlin.test assertion functions",
   note="'Experimental in <version>' read as proposed (provisional); it ships experimentally and the roadmap still lists 'Stabilize the API'."),
 g(P["bip"]+"bip-0320.mediawiki","mediawiki","proposed","Draft",BIP_W,
   "reserve 16 nVersion bits (13-28) for general purpose use",
   succ=["bitcoin__bips/bip-0323.mediawiki"],
   note="Odd: status Draft yet preamble 'Proposed-Replacement: 323'; BIP 323 (Draft) declares 'Replaces: 320'."),
 g(P["keep"]+"KEEP-0412-underscores-for-local-variables.md","md","proposed","Experimental in 2.2",KP_B,
   "allow `val _ = ...` unnamed local variables",
   note="'Experimental in <version>' read as proposed (provisional)."),
 g(P["bip"]+"bip-0199.mediawiki","mediawiki","rejected","Closed",BIP_W,None,
   note="'Closed' (BIP-3 status) with no Proposed-Replacement and no changelog reason; read as rejected/abandoned. Could also be read as deprecated (historical interest only)."),
 g(P["sirius"]+"194_add_the_ability_to_contribute_new_actions_to_manage_the_visibility.adoc","adoc",None,None,None,
   "backend API (GraphQL type/mutation and provider/handler interfaces) to contribute manage-visibility actions",
   note="No Status section in this ADR."),
 g(P["cbft"]+"architecture/tendermint-core/adr-039-peer-behaviour.md","md","accepted","Accepted",MDSEC,
   "PeerBehaviour interface so reactors signal peer behaviour without coupling to p2p.Switch"),
 g(P["bip"]+"bip-0128.mediawiki","mediawiki","proposed","Draft",BIP_W,
   "JSON storage format for timelock-recovery plans (alert + recovery transactions)"),
 g(P["bip"]+"bip-0360.mediawiki","mediawiki","proposed","Draft",BIP_W,
   "new P2MR output type: P2TR with the key path spend removed",
   note="Changelog mentions renames P2QRH -> P2TSH -> P2MR (same document)."),
 g(P["scs"]+"scs-0200-v1-using-sonobuoy-for-kaas-conformance-tests.md","md","proposed","Draft",FM,
   "wrap KaaS conformance tests as Sonobuoy plugins; Go e2e-framework (option 1) and/or Python (option 3), not option 2",
   note="type: Decision Record."),
 g(P["bip"]+"bip-0179.mediawiki","mediawiki","accepted","Complete",BIP_W,
   "term 'Bitcoin Invoice Address' (Bitcoin/Address optional) instead of 'address'"),
 g(P["keep"]+"KEEP-0421-build-tools-api.md","md",None,None,None,
   "Build Tools API as a stable layer between build systems and the Kotlin compiler",
   note="No Status line (unlike other KEEPs); the abstract says the API 'will initially be introduced as experimental' - a plan for the API, not the document's status."),
 g(P["nep"]+"nep-0008-groupby_additions.rst","rst","proposed","Deferred",RSTF,
   "add reduceby/reducein ufunc methods and segment/edges functions"),
 g(P["cep"]+"cep-0013.md","md","accepted","Accepted",CEP_W,
   "new pure-YAML recipe format with ${{ }} Jinja and if/then/else selectors"),
 g(P["cbft"]+"rfc/tendermint-core/rfc-018-bls-agg-exploration.md","md",None,None,None,
   "wait-and-see on BLS signature aggregation (do not adopt now)",
   note="Exploratory RFC with no status field; the changelog says 'Draft complete', which is not read as a status. 'Current Consideration' section gives the recommendation."),
 g(P["keep"]+"KEEP-0057-scope-control-for-implicit-receivers.md","md","accepted","Stable in 1.1",KP_B,
   "@DslMarker annotation (the @ScreenFrom alternative is marked obsolete)",
   note="Section heading 'ScreenFrom (obsolete)' refers to a discarded alternative, not to the document."),
 g(P["cep"]+"cep-0045.md","md","accepted","Accepted",CEP_W,
   "new 'flags' repodata field matched via MatchSpec flags=[...]"),
 g(P["xep"]+"xep-0123.xml","xml","rejected","Retracted",XEP_W,None,
   note="Abstract: 'This proposal was retracted by the author on 2004-02-19' (original abstract kept in an XML comment). Retracted -> rejected (withdrawn)."),
 g(P["sirius"]+"161_add_support_for_undo_redo_on_semantic_changes_in_representations.adoc","adoc","proposed","Work in progress",ADSEC,
   "undo/redo via EMF ChangeRecorder in input pre/post-processors, with an IUndoableInput marker interface"),
 g(P["nep"]+"nep-0004-datetime-proposal3.rst","rst","proposed","Deferred",RSTF,
   "datetime64 and timedelta64 dtypes with time-unit metadata",
   note="Third date/time proposal. NEP 7 (Final) says it is 'Revised only slightly from the third proposal' but NEP 4 itself names no successor, so successor left empty."),
 g(P["sirius"]+"170_support_representation_details_view.adoc","adoc","proposed","Work in progress",ADSEC,
   "new IPropertiesDescriptionRegistryConfigurer page for representation metadata (label + new documentation field)"),
 g(P["sirius"]+"110_color_management_in_view.adoc","adoc","proposed","To be reviewed",ADSEC,
   "remove 'None'; all color properties mandatory with default color palettes"),
 g(P["swift"]+"0030-property-behavior-decls.md","md","rejected","Withdrawn",SW_B,None,
   succ=["?SE-0258"],
   note="Header also has 'Superseded by: [SE-0258](0258-property-wrappers.md)' (outside the pool's SE-0001..0150 range). Status word Withdrawn -> rejected; Decision Notes link is the 'rejected-se-0030' thread."),
 g(P["bip"]+"bip-0110.mediawiki","mediawiki","rejected","Closed",BIP_W,None,
   note="Changelog 1.0.1: 'Mark as Closed, following a chain split with stalled mining' (previously Complete). No replacement named; read as rejected/abandoned."),
]
assert len(G) == 60, len(G)
import subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sample = subprocess.run([sys.executable, os.path.join(HERE, 'sample.py')], capture_output=True, text=True, check=True).stdout.split()
srcs = [x["source"] for x in G]
assert sorted(srcs) == sorted(sample), set(srcs) ^ set(sample)
import os
for x in G:
    assert os.path.exists('/work/pool/' + x['source']), x['source']
    for s in x['successor'] + x['predecessor']:
        if not s.startswith('?'):
            assert os.path.exists('/work/pool/' + s), s
order = {s: i for i, s in enumerate(sample)}
G.sort(key=lambda x: order[x["source"]])
with open(os.path.join(HERE, 'gold.jsonl'), 'w') as fh:
    for x in G:
        fh.write(json.dumps(x, ensure_ascii=False) + "\n")
from collections import Counter
print(Counter(x['status'] for x in G)); print(Counter(x['format'] for x in G))
print('with successor', sum(1 for x in G if x['successor']), 'in-pool', sum(1 for x in G if any(not s.startswith('?') for s in x['successor'])))
print('with predecessor', sum(1 for x in G if x['predecessor']))
