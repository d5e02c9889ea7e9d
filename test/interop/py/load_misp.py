"""Load a SOC Defenders MISP export with PyMISP, the way MISP users and tools read events.

Reads one MISP event JSON ({"Event": {...}}) on stdin, loads it with PyMISP's MISPEvent in
strict validation mode (an unknown attribute type or a type/category pair MISP refuses raises),
serializes it again with PyMISP and loads that too, then prints what PyMISP understood:
{"uuid", "info", "date", "distribution", "published", "orgc", "tags", "attributes": [{"uuid",
"type", "category", "value", "to_ids", "comment", "tags", "first_seen", "last_seen",
"timestamp"}]}.
"""
import json
import sys

from pymisp import MISPEvent


def load(text):
    event = MISPEvent(strict_validation=True)
    event.load(text)
    return event


def iso(value):
    return value.isoformat() if value is not None else None


def describe(event):
    return {
        "uuid": event.uuid,
        "info": event.info,
        "date": event.date.isoformat(),
        "distribution": event.distribution,
        "published": event.published,
        "orgc": getattr(event, "Orgc", None) and {"name": event.Orgc.name, "uuid": event.Orgc.uuid},
        "tags": [t.name for t in event.tags],
        "attributes": [
            {
                "uuid": a.uuid,
                "type": a.type,
                "category": a.category,
                "value": a.value,
                "to_ids": a.to_ids,
                "comment": a.comment,
                "tags": [t.name for t in a.tags],
                "first_seen": iso(getattr(a, "first_seen", None)),
                "last_seen": iso(getattr(a, "last_seen", None)),
                "timestamp": int(a.timestamp.timestamp()),
            }
            for a in event.attributes
        ],
    }


def main():
    first = load(sys.stdin.read())
    again = load(first.to_json())
    a, b = describe(first), describe(again)
    if a != b:
        raise SystemExit("PyMISP did not read back its own serialization of the event identically")
    json.dump(a, sys.stdout)


if __name__ == "__main__":
    main()
