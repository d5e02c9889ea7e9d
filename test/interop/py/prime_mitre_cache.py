"""Make `sigma check` and `sigma convert` work offline: fill pySigma's MITRE caches from the
files shipped in config/sigma/ (written by make_mitre_data.py).

pySigma >= 1.0 downloads ATT&CK (GitHub) and D3FEND (d3fend.mitre.org) on first use and keeps
them in disk caches under ~/.cache/pysigma/; once filled from local files, later runs read the
caches and need no network. pySigma 0.11 ships both as Python tables: nothing to do then.

    .venv/bin/python test/interop/py/prime_mitre_cache.py config/sigma
"""
import glob
import os
import sys

from sigma.data import mitre_attack, mitre_d3fend


def prime(module, path, version_attr):
    set_url = getattr(module, "set_url", None)
    if set_url is None:
        print(f"{module.__name__}: bundled data {getattr(module, version_attr)}, nothing to prime")
        return
    module.clear_cache()  # a stale or partial cache would win over the file
    set_url(path)
    print(f"{module.__name__}: cache primed from {path}, version {getattr(module, version_attr)}")


def only(pattern):
    found = sorted(glob.glob(pattern))
    if len(found) != 1:
        sys.exit(f"expected exactly one {pattern}, found {found}")
    return found[0]


def main(data_dir):
    prime(mitre_attack, only(os.path.join(data_dir, "attack-enterprise-v*.json")), "mitre_attack_version")
    prime(mitre_d3fend, only(os.path.join(data_dir, "d3fend-*.json")), "mitre_d3fend_version")


if __name__ == "__main__":
    main(sys.argv[1])
