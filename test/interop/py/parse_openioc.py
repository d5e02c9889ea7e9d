"""Parse a SOC Defenders OpenIOC export with Python's standard XML parser (expat through
xml.etree.ElementTree) and check it against the structure of the OpenIOC 1.0 schema
(mandiant/ioc_writer tests/schemas/openioc_10_schema.xsd):

  ioc(@id, @last-modified required xs:dateTime): short_description?, description?, keywords?,
    authored_by?, authored_date (required, xs:dateTime), links?, definition?  -- in that order
  definition: Indicator*
  Indicator(@operator OR|AND required, @id): IndicatorItem*, Indicator*
  IndicatorItem(@id, @condition): Context?, Content?, Comment?  -- in that order
  Context(@document, @search, @type); Content(@type) text

Prints {"id", "last_modified", "short_description", "description", "items": [{"id",
"condition", "document", "search", "context_type", "content_type", "content", "comment"}],
"errors": [...]}.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.mandiant.com/2010/ioc}"
IOC_CHILDREN = ["short_description", "description", "keywords", "authored_by", "authored_date", "links", "definition"]
ITEM_CHILDREN = ["Context", "Content", "Comment"]
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def local(tag, errors):
    if not tag.startswith(NS):
        errors.append("element %s is not in the OpenIOC 1.0 namespace" % tag)
        return tag
    return tag[len(NS):]


def check_order(parent, allowed, errors):
    """Children appear at most once each (for these sequences) and in schema order."""
    names = [local(c.tag, errors) for c in parent]
    positions = []
    for n in names:
        if n not in allowed:
            errors.append("unexpected <%s> in <%s>" % (n, local(parent.tag, errors)))
            continue
        positions.append(allowed.index(n))
    if positions != sorted(positions) or len(set(positions)) != len(positions):
        errors.append("children of <%s> out of schema order: %s" % (local(parent.tag, errors), names))
    return names


def walk_indicator(node, items, errors):
    if node.get("operator") not in ("OR", "AND"):
        errors.append("Indicator without operator OR/AND")
    seen_indicator = False
    for child in node:
        name = local(child.tag, errors)
        if name == "IndicatorItem":
            if seen_indicator:
                errors.append("IndicatorItem after a nested Indicator")
            check_order(child, ITEM_CHILDREN, errors)
            ctx = child.find(NS + "Context")
            content = child.find(NS + "Content")
            comment = child.find(NS + "Comment")
            items.append({
                "id": child.get("id"),
                "condition": child.get("condition"),
                "document": ctx.get("document") if ctx is not None else None,
                "search": ctx.get("search") if ctx is not None else None,
                "context_type": ctx.get("type") if ctx is not None else None,
                "content_type": content.get("type") if content is not None else None,
                "content": (content.text or "") if content is not None else None,
                "comment": (comment.text or "") if comment is not None else None,
            })
        elif name == "Indicator":
            seen_indicator = True
            walk_indicator(child, items, errors)
        else:
            errors.append("unexpected <%s> in <Indicator>" % name)


def main():
    data = sys.stdin.buffer.read()
    root = ET.fromstring(data)
    errors = []
    if local(root.tag, errors) != "ioc":
        errors.append("root element is not <ioc>")
    for attr in ("last-modified",):
        if not DATETIME.match(root.get(attr) or ""):
            errors.append("ioc/@%s is not an xs:dateTime" % attr)
    names = check_order(root, IOC_CHILDREN, errors)
    if "authored_date" not in names:
        errors.append("authored_date is required")
    elif not DATETIME.match(root.find(NS + "authored_date").text or ""):
        errors.append("authored_date is not an xs:dateTime")
    items = []
    definition = root.find(NS + "definition")
    if definition is not None:
        for child in definition:
            if local(child.tag, errors) != "Indicator":
                errors.append("unexpected <%s> in <definition>" % local(child.tag, errors))
            else:
                walk_indicator(child, items, errors)
    text = lambda name: (root.find(NS + name).text or "") if root.find(NS + name) is not None else None
    json.dump({
        "id": root.get("id"),
        "last_modified": root.get("last-modified"),
        "short_description": text("short_description"),
        "description": text("description"),
        "items": items,
        "errors": errors,
    }, sys.stdout)


if __name__ == "__main__":
    main()
