"""Write the offline MITRE data that `sigma check` needs into config/sigma/:

- attack-enterprise-v17.json: ATT&CK Enterprise v17 tactics, techniques, groups and software as
  the compact STIX 2.1 bundle that pySigma >= 1.0 reads with sigma.data.mitre_attack.set_url();
- d3fend-0.16.0.json: D3FEND tactics, techniques and artifacts as the JSON-LD graph that
  sigma.data.mitre_d3fend.set_url() reads.

pySigma >= 1.0 downloads both from the internet on first use; CI has no route there. The data
comes from the Python tables pySigma 0.11 ships (sigma/data/mitre_attack.py, mitre_d3fend.py),
so run this once in a pySigma 0.11 environment (the one the QRadar backend pins):
    .venv/bin/python test/interop/py/make_mitre_data.py config/sigma
ATT&CK and D3FEND are (c) The MITRE Corporation, used under their terms of use
(https://attack.mitre.org/resources/legal-and-branding/terms-of-use/, https://d3fend.mitre.org/).
"""
import json
import os
import sys
import uuid

from sigma.data import mitre_attack as attack
from sigma.data import mitre_d3fend as d3fend

NS = uuid.UUID("5f1c4a39-8d3e-4f6b-9a0e-2b7c6d1e8f40")  # SOC Defenders namespace (src/domain/ids.ts)


def stix(stix_type, external_id, **fields):
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": f"{stix_type}--{uuid.uuid5(NS, 'attack:' + external_id)}",
        "external_references": [{"source_name": "mitre-attack", "external_id": external_id}],
        **fields,
    }


def attack_objects():
    yield {
        "type": "x-mitre-collection",
        "spec_version": "2.1",
        "id": f"x-mitre-collection--{uuid.uuid5(NS, 'attack:enterprise')}",
        "name": "Enterprise ATT&CK",
        "x_mitre_version": attack.mitre_attack_version,
    }
    for tactic_id, short in sorted(attack.mitre_attack_tactics.items()):
        yield stix("x-mitre-tactic", tactic_id, name=short, x_mitre_shortname=short)
    for tech_id, name in sorted(attack.mitre_attack_techniques.items()):
        phases = [
            {"kill_chain_name": "mitre-attack", "phase_name": p}
            for p in attack.mitre_attack_techniques_tactics_mapping.get(tech_id, [])
        ]
        yield stix("attack-pattern", tech_id, name=name, kill_chain_phases=phases)
    for group_id, name in sorted(attack.mitre_attack_intrusion_sets.items()):
        yield stix("intrusion-set", group_id, name=name)
    for sw_id, name in sorted(attack.mitre_attack_software.items()):
        yield stix("malware", sw_id, name=name)


def d3fend_items():
    base = "http://d3fend.mitre.org/ontologies/d3fend.owl#"
    yield {
        "@id": "http://d3fend.mitre.org/ontologies/d3fend.owl",
        "@type": "owl:Ontology",
        "owl:versionIRI": {"@id": f"http://d3fend.mitre.org/ontologies/d3fend/{d3fend.mitre_d3fend_version}"},
    }
    for label in sorted(d3fend.mitre_d3fend_tactics.values()):
        yield {"@id": f"d3f:{label}", "@type": ["owl:Class", "d3f:DefensiveTactic"], "rdfs:label": label}
    for tech_id, label in sorted(d3fend.mitre_d3fend_techniques.items()):
        yield {"@id": f"d3f:{tech_id}", "@type": "owl:Class", "d3f:d3fend-id": tech_id, "rdfs:label": label}
    for artifact_id, label in sorted(d3fend.mitre_d3fend_artifacts.items()):
        yield {"@id": base + artifact_id, "@type": ["owl:Class", "d3f:DigitalArtifact"], "rdfs:label": label}


def write_lines(path, head, key, items):
    """One item per line: compact, yet a data update reads as a diff."""
    items = list(items)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + f', "{key}": [\n')
        f.write(",\n".join(json.dumps(o, separators=(",", ":"), ensure_ascii=False) for o in items))
        f.write("\n]}\n")
    print(f"{path}: {len(items)} items")


def main(out_dir):
    version = attack.mitre_attack_version.split(".")[0]
    write_lines(
        os.path.join(out_dir, f"attack-enterprise-v{version}.json"),
        {"type": "bundle", "id": f"bundle--{uuid.uuid5(NS, 'attack:enterprise:' + attack.mitre_attack_version)}"},
        "objects",
        attack_objects(),
    )
    write_lines(
        os.path.join(out_dir, f"d3fend-{d3fend.mitre_d3fend_version}.json"),
        {"@context": {"d3f": "http://d3fend.mitre.org/ontologies/d3fend.owl#"}},
        "@graph",
        d3fend_items(),
    )


if __name__ == "__main__":
    main(sys.argv[1])
