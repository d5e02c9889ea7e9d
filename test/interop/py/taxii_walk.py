"""Drive a SOC Defenders TAXII 2.1 server with the OASIS taxii2-client, as real pollers do.

Usage: taxii_walk.py BASE_URL API_KEY PER_REQUEST

Walks discovery at /api/taxii2/ and /taxii2/, the API root /api/taxii2/api/, then every
collection: all objects with as_pages (PER_REQUEST per page; 0 lets the server choose) to the
end, the manifest likewise, and get_object / object_versions for a sample of objects. Validates
every object of every collection with stix2-validator (validate_stix.py profiles). Prints one
JSON report on stdout; the TypeScript test compares it with the database.
"""
import json
import sys

from taxii2client.v21 import ApiRoot, Server, as_pages

from validate_stix import INTEROP, INTEROP_TYPES, STRICT, check

SAMPLE = 25


def describe_server(url, key):
    server = Server(url, user="apikey", password=key)
    return {
        "title": server.title,
        "default": server.default.url if server.default else None,
        "api_roots": [root.url for root in server.api_roots],
    }


def walk_collection(collection, per_request):
    objects = []
    pages = 0
    for envelope in as_pages(collection.get_objects, per_request=per_request):
        pages += 1
        objects.extend(envelope.get("objects", []))
    manifest = []
    for envelope in as_pages(collection.get_manifest, per_request=per_request):
        manifest.extend(envelope.get("objects", []))
    step = max(1, len(objects) // SAMPLE)
    by_id = []
    versions = []
    for obj in objects[::step]:
        got = collection.get_object(obj["id"])
        by_id.append({"id": obj["id"], "returned": [o["id"] for o in got.get("objects", [])]})
        v = collection.object_versions(obj["id"])
        versions.append({"id": obj["id"], "versions": v.get("versions", [])})
    return {
        "id": collection.id,
        "title": collection.title,
        "alias": collection.alias,
        "can_read": collection.can_read,
        "can_write": collection.can_write,
        "pages": pages,
        "objects": [
            {"id": o["id"], "type": o["type"], "version": o.get("modified", o.get("created")), "revoked": o.get("revoked", False)}
            for o in objects
        ],
        "manifest": manifest,
        "by_id": by_id,
        "versions": versions,
        "_objects": objects,
    }


def main():
    base, key, per_request = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3])
    report = {
        "documented": describe_server(base + "/api/taxii2/", key),
        "standard": describe_server(base + "/taxii2/", key),
        "collections": [],
    }
    root = ApiRoot(base + "/api/taxii2/api/", user="apikey", password=key)
    report["api_root"] = {"title": root.title, "versions": root.versions, "max_content_length": root.max_content_length}
    everything = {}
    for collection in root.collections:
        walked = walk_collection(collection, per_request)
        for obj in walked.pop("_objects"):
            everything[(obj["id"], obj.get("modified", obj.get("created")))] = obj
        report["collections"].append(walked)
    objects = list(everything.values())
    failures = []
    errors = check(objects, STRICT)
    if errors:
        failures.append({"profile": "strict", "errors": errors[:20]})
    errors = check([o for o in objects if o["type"] in INTEROP_TYPES], INTEROP)
    if errors:
        failures.append({"profile": "interop", "errors": errors[:20]})
    report["validation"] = {"checked": len(objects), "failures": failures}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
