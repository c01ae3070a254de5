"""s3control_model: reads and writes S3 Control REST-XML against botocore's own service model.

Used by scripts/s3control-standin. The model is loaded with botocore's loader
(botocore.loaders.Loader().load_service_model('s3control', 'service-2')), so every shape, required
member, enum, type, pattern, min and max the stand-in checks is AWS's published one, not a copy.

parse_input(operation, headers, uri_params, query, body) -> dict of member name -> value (nested
dicts/lists as botocore would hand them to a caller), or raises Invalid naming the member path and
the model's reason. to_xml(shape, value, name) writes a value of a shape as the service would
(structures by member locationName, lists as wrapper + member elements, booleans true/false,
timestamps ISO 8601).

Choices where the model is silent (the real service's rules are not published):
  - An element the model does not know is refused (AWS's parser behaviour is not documented; refusing
    catches a client's misspelt member instead of silently dropping it).
  - Patterns are searched, not anchored (Smithy patterns are ECMA-262 regexes applied unanchored);
    \\p{L}, \\p{N} and \\p{Z} (not in Python's re) are read as \\w and \\s inside character classes.
"""

import datetime
import re
import xml.etree.ElementTree as ET

import botocore.loaders
import botocore.model

NS = "http://awss3control.amazonaws.com/doc/2018-08-20/"
_MODEL = None


class Invalid(Exception):
    """A request the model refuses: code, HTTP status and a one-line message."""

    def __init__(self, message, code="InvalidRequest", status=400):
        super().__init__(message)
        self.code, self.status, self.message = code, status, message


def model():
    """botocore's s3control ServiceModel (loaded once)."""
    global _MODEL
    if _MODEL is None:
        data = botocore.loaders.Loader().load_service_model("s3control", "service-2")
        _MODEL = botocore.model.ServiceModel(data, service_name="s3control")
    return _MODEL


def _pattern(p):
    p = p.replace("\\p{L}", "\\w").replace("\\p{N}", "\\w").replace("\\p{Z}", "\\s")
    return re.compile(p)


_PATTERNS = {}


def check_scalar(shape, value, path):
    """Checks one scalar value (already converted) against shape's enum/min/max/pattern."""
    meta = shape.metadata
    t = shape.type_name
    if t == "string":
        enum = shape.enum
        if enum and value not in enum:
            raise Invalid("%s: '%s' is not one of %s." % (path, _short(value), ", ".join(enum)))
        if "min" in meta and len(value) < meta["min"]:
            raise Invalid("%s: length %d is below the minimum %d." % (path, len(value), meta["min"]))
        if "max" in meta and len(value) > meta["max"]:
            raise Invalid("%s: length %d is above the maximum %d." % (path, len(value), meta["max"]))
        if "pattern" in meta:
            rx = _PATTERNS.get(meta["pattern"])
            if rx is None:
                rx = _PATTERNS[meta["pattern"]] = _pattern(meta["pattern"])
            if not rx.search(value):
                raise Invalid("%s: '%s' does not match the pattern %s." % (path, _short(value), meta["pattern"]))
    elif t in ("integer", "long"):
        if "min" in meta and value < meta["min"]:
            raise Invalid("%s: %d is below the minimum %d." % (path, value, meta["min"]))
        if "max" in meta and value > meta["max"]:
            raise Invalid("%s: %d is above the maximum %d." % (path, value, meta["max"]))


def _short(value, n=80):
    value = str(value)
    return value if len(value) <= n else value[:n] + "…"


def _convert(shape, text, path):
    text = text if text is not None else ""
    t = shape.type_name
    if t == "string":
        value = text
    elif t in ("integer", "long"):
        if not re.fullmatch(r"-?[0-9]+", text.strip()):
            raise Invalid("%s: '%s' is not an integer." % (path, _short(text)))
        value = int(text)
    elif t == "boolean":
        if text.strip() not in ("true", "false"):
            raise Invalid("%s: '%s' is not a boolean (true or false)." % (path, _short(text)))
        value = text.strip() == "true"
    elif t == "timestamp":
        try:
            value = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise Invalid("%s: '%s' is not an ISO 8601 timestamp." % (path, _short(text)))
    elif t == "blob":
        value = text
    else:
        raise Invalid("%s: type %s is not readable here." % (path, t))
    check_scalar(shape, value, path)
    return value


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _member_name(member_shape, name):
    return member_shape.serialization.get("name", name)


def parse_element(shape, elem, path):
    """The value of XML element elem read as shape (a botocore Shape)."""
    t = shape.type_name
    if t == "structure":
        by_xml = {}
        for name, m in shape.members.items():
            if m.serialization.get("location"):
                continue
            by_xml[_member_name(m, name)] = name
        out = {}
        for child in elem:
            tag = _local(child.tag)
            name = by_xml.get(tag)
            if name is None:
                raise Invalid("%s: unknown element <%s> (the model's members are %s)."
                              % (path, tag, ", ".join(sorted(by_xml)) or "none"))
            if name in out:
                raise Invalid("%s.%s: given more than once." % (path, name))
            out[name] = parse_element(shape.members[name], child, path + "." + name)
        check_structure(shape, out, path)
        return out
    if t == "list":
        member = shape.member
        item_tag = member.serialization.get("name", "member")
        items = []
        for i, child in enumerate(elem):
            if _local(child.tag) != item_tag:
                raise Invalid("%s: list item <%s> where the model names <%s>." % (path, _local(child.tag), item_tag))
            items.append(parse_element(member, child, "%s[%d]" % (path, i)))
        _check_count(shape, len(items), path)
        return items
    if t == "map":
        out = {}
        for child in elem:
            if _local(child.tag) != "entry":
                raise Invalid("%s: map item <%s> where <entry> is expected." % (path, _local(child.tag)))
            k = child.find("{%s}key" % NS) if child.find("key") is None else child.find("key")
            v = child.find("{%s}value" % NS) if child.find("value") is None else child.find("value")
            if k is None or v is None:
                raise Invalid("%s: an <entry> needs <key> and <value>." % path)
            key = _convert(shape.key, k.text, path + ".key")
            out[key] = parse_element(shape.value, v, "%s[%s]" % (path, key))
        _check_count(shape, len(out), path)
        return out
    if len(elem):
        raise Invalid("%s: a %s value cannot have child elements." % (path, t))
    return _convert(shape, elem.text, path)


def _check_count(shape, n, path):
    meta = shape.metadata
    if "min" in meta and n < meta["min"]:
        raise Invalid("%s: %d items, the minimum is %d." % (path, n, meta["min"]))
    if "max" in meta and n > meta["max"]:
        raise Invalid("%s: %d items, the maximum is %d." % (path, n, meta["max"]))


def check_structure(shape, value, path):
    for name in shape.required_members:
        if name not in value:
            raise Invalid("%s: the required member %s is missing." % (path, name))
    if shape.metadata.get("union") and len(value) != 1:
        raise Invalid("%s: exactly one of %s must be given (a union)." % (path, ", ".join(shape.members)))


def parse_input(operation, headers, uri_params, query, body):
    """Reads operation's input from the request (headers: dict with lower-case names; uri_params:
    dict; query: dict of name -> list of values; body: bytes) and checks it against the model."""
    op = model().operation_model(operation)
    shape = op.input_shape
    out = {}
    if shape is None:
        return out
    payload_members = {}
    for name, m in shape.members.items():
        loc = m.serialization.get("location")
        wire = m.serialization.get("name", name)
        if loc == "header":
            if wire.lower() in headers:
                out[name] = _convert(m, headers[wire.lower()], "header " + wire)
        elif loc == "uri":
            if wire in uri_params:
                out[name] = _convert(m, uri_params[wire], "path " + wire)
        elif loc == "querystring":
            if wire in query:
                values = query[wire]
                if m.type_name == "list":
                    out[name] = [_convert(m.member, v, "query %s" % wire) for v in values]
                else:
                    out[name] = _convert(m, values[-1], "query " + wire)
        else:
            payload_members[name] = m
    if payload_members:
        root_name = shape.serialization.get("name", shape.name)
        if not body:
            raise Invalid("%s: the request has no XML body (<%s>)." % (operation, root_name))
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            raise Invalid("%s: the body is not well-formed XML (%s)." % (operation, e), code="MalformedXML")
        if _local(root.tag) != root_name:
            raise Invalid("%s: the body's root element is <%s>, not <%s>." % (operation, _local(root.tag), root_name))
        by_xml = {_member_name(m, n): n for n, m in payload_members.items()}
        for child in root:
            tag = _local(child.tag)
            name = by_xml.get(tag)
            if name is None:
                raise Invalid("%s: unknown element <%s> (the model's members are %s)."
                              % (root_name, tag, ", ".join(sorted(by_xml))))
            if name in out:
                raise Invalid("%s.%s: given more than once." % (root_name, name))
            out[name] = parse_element(payload_members[name], child, root_name + "." + name)
    check_structure(shape, out, shape.name)
    return out


def _xml_text(shape, value):
    t = shape.type_name
    if t == "boolean":
        return "true" if value else "false"
    if t == "timestamp":
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
                "%03dZ" % (value.microsecond // 1000)
        return str(value)
    return str(value)


def to_xml(shape, value, name, parent=None):
    """Appends (or returns) an element named name holding value written as shape."""
    elem = ET.Element(name) if parent is None else ET.SubElement(parent, name)
    t = shape.type_name
    if t == "structure":
        for mname, m in shape.members.items():
            if mname in value and value[mname] is not None:
                to_xml(m, value[mname], _member_name(m, mname), elem)
    elif t == "list":
        item = shape.member.serialization.get("name", "member")
        for v in value:
            to_xml(shape.member, v, item, elem)
    elif t == "map":
        for k, v in value.items():
            entry = ET.SubElement(elem, "entry")
            ET.SubElement(entry, "key").text = str(k)
            to_xml(shape.value, v, "value", entry)
    else:
        elem.text = _xml_text(shape, value)
    return elem


def output_xml(operation, value):
    """The whole XML document answering operation with value (a dict of the output shape)."""
    op = model().operation_model(operation)
    root = to_xml(op.output_shape, value, op.output_shape.name)
    root.set("xmlns", NS)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


def error_xml(code, message, request_id):
    """S3 Control's error document (<ErrorResponse><Error><Code>…)."""
    root = ET.Element("ErrorResponse")
    err = ET.SubElement(root, "Error")
    ET.SubElement(err, "Code").text = code
    ET.SubElement(err, "Message").text = message
    ET.SubElement(root, "RequestId").text = request_id
    ET.SubElement(root, "HostId").text = request_id
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)
