"""Validate STIX 2.1 objects served by SOC Defenders with the OASIS stix2-validator.

Reads a JSON array of STIX objects (or a bundle) on stdin and prints one JSON document:
{"checked": N, "failures": [{"profile", "errors"}]}; each error names the object id.

Profiles, the strictest our content can meet:
- "strict": a bundle of every object, with the SHOULD checks as errors (--strict), no custom
  object types or properties (--strict-types, --strict-properties), and two checks disabled:
  - uuid-check (wants UUIDv4 ids on SDOs): our indicator, vulnerability and attack-pattern ids
    are UUIDv5 of (type, value) on purpose, so every poll, server and export names the same IOC
    with the same id (UUIDv4 is a SHOULD in STIX 2.1 §2.9, not a MUST).
  - extref-hashes (wants a hash of the page behind every external reference URL): the pages of
    URLhaus, NVD, ATT&CK and news sites change and are not fetched by us (a SHOULD, §2.5).
- "interop": indicators, attack-patterns and our identity, as a bundle, also pass --interop
  (name, indicator_types and a producer on indicators; a producer on every object; at most one
  TLP 1.0 marking). Not applied to vulnerabilities, whose interop schema requires a property
  literally named "external_references:" (a typo no valid object can satisfy), nor to marking
  definitions, which STIX forbids to carry the created_by_ref the interop bundle check demands.
"""
import json
import sys

from stix2validator import ValidationOptions, validate_instance

COMMON = dict(
    version="2.1",
    strict=True,
    strict_types=True,
    strict_properties=True,
    disabled="uuid-check,extref-hashes",
    silent=True,
)
STRICT = ValidationOptions(**COMMON)
INTEROP = ValidationOptions(interop=True, **COMMON)
INTEROP_TYPES = {"indicator", "attack-pattern", "identity"}


def check(objects, options):
    """The validator's errors for a bundle of objects; a crash (some bad patterns) is one too."""
    bundle = {"type": "bundle", "id": "bundle--6b2c5d0e-1f3a-4c8e-9d7b-2a1e0f9c8b7d", "objects": objects}
    try:
        result = validate_instance(bundle, options)
    except Exception as exc:  # noqa: BLE001 - any crash means some object is not valid
        return ["validator raised %s: %s" % (type(exc).__name__, exc)]
    return [] if result.is_valid else [str(e) for e in result.errors]


def main():
    data = json.load(sys.stdin)
    objects = data["objects"] if isinstance(data, dict) else data
    failures = []
    errors = check(objects, STRICT)
    if errors:
        failures.append({"profile": "strict", "errors": errors})
    interop_objects = [o for o in objects if o.get("type") in INTEROP_TYPES]
    if interop_objects:
        errors = check(interop_objects, INTEROP)
        if errors:
            failures.append({"profile": "interop", "errors": errors})
    json.dump({"checked": len(objects), "failures": failures}, sys.stdout)


if __name__ == "__main__":
    main()
