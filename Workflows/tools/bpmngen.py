"""Writes BPMN 2.0 files (with Camunda 7 extensions and diagram layout) from compact process specs.

Used once to produce the first versions of the processes in ../Processes; from then on administrators
edit them in the designer and the .bpmn files are the source. Nodes sit on a grid (column, row); flows
are routed orthogonally; back-flows go round below the row of their source.
"""
from xml.sax.saxutils import escape, quoteattr

COL_W, ROW_H, X0, Y0 = 180, 140, 180, 120
SIZES = {
    "start": (36, 36), "end": (36, 36), "msgcatch": (36, 36), "timercatch": (36, 36), "msgthrow": (36, 36),
    "xgw": (50, 50), "pgw": (50, 50), "egw": (50, 50),
    "service": (120, 80), "user": (120, 80), "call": (120, 80), "script": (120, 80),
}
EVENTS = {"start", "end", "msgcatch", "timercatch", "msgthrow"}


class Node:
    def __init__(self, kind, id, name, col, row, **attrs):
        self.kind, self.id, self.name, self.col, self.row, self.attrs = kind, id, name, col, row, attrs
        w, h = SIZES[kind]
        cx, cy = X0 + col * COL_W, Y0 + row * ROW_H
        self.x, self.y, self.w, self.h = cx - w // 2, cy - h // 2, w, h
        self.boundaries = []

    @property
    def cx(self):
        return self.x + self.w // 2

    @property
    def cy(self):
        return self.y + self.h // 2


class Boundary:
    def __init__(self, id, name, host, kind, value, interrupting=True, slot=0):
        self.id, self.name, self.host, self.kind, self.value, self.interrupting = id, name, host, kind, value, interrupting
        self.w = self.h = 36
        self.x = host.x + 10 + slot * 40
        self.y = host.y + host.h - 18
        host.boundaries.append(self)

    @property
    def cx(self):
        return self.x + 18

    @property
    def cy(self):
        return self.y + 18


class Process:
    def __init__(self, id, name, doc=""):
        self.id, self.name, self.doc = id, name, doc
        self.nodes, self.flows, self.messages = {}, [], {}

    def node(self, kind, id, name, col, row, **attrs):
        n = Node(kind, id, name, col, row, **attrs)
        self.nodes[id] = n
        return n

    def boundary(self, id, name, host, kind, value, interrupting=True, slot=0):
        b = Boundary(id, name, self.nodes[host], kind, value, interrupting, slot)
        self.nodes[id] = b
        return b

    def flow(self, src, dst, name=None, cond=None, default=False, via=None):
        fid = f"f_{src}_{dst}"
        self.flows.append(dict(id=fid, src=src, dst=dst, name=name, cond=cond, default=default, via=via))
        return fid

    def message(self, name):
        self.messages[name] = "msg_" + name.replace("-", "_")
        return self.messages[name]


def io(inputs, outputs=None):
    if not inputs and not outputs:
        return ""
    params = "".join(f'<camunda:inputParameter name="{k}">{escape(str(v))}</camunda:inputParameter>' for k, v in (inputs or {}).items())
    params += "".join(f'<camunda:outputParameter name="{k}">{escape(str(v))}</camunda:outputParameter>' for k, v in (outputs or {}).items())
    return f"<camunda:inputOutput>{params}</camunda:inputOutput>"


def ext(inner):
    return f"<bpmn:extensionElements>{inner}</bpmn:extensionElements>" if inner else ""


def flows_of(p, nid):
    inc = "".join(f"<bpmn:incoming>{f['id']}</bpmn:incoming>" for f in p.flows if f["dst"] == nid)
    out = "".join(f"<bpmn:outgoing>{f['id']}</bpmn:outgoing>" for f in p.flows if f["src"] == nid)
    return inc + out


def node_xml(p, n):
    a = n.attrs
    name = f" name={quoteattr(n.name)}" if n.name else ""
    body = flows_of(p, n.id)
    doc = f"<bpmn:documentation>{escape(a['doc'])}</bpmn:documentation>" if a.get("doc") else ""
    if n.kind == "start":
        ev = ""
        if a.get("message"):
            ev = f'<bpmn:messageEventDefinition messageRef="{p.message(a["message"])}" />'
        return f'<bpmn:startEvent id="{n.id}"{name}>{doc}{body}{ev}</bpmn:startEvent>'
    if n.kind == "end":
        ev = '<bpmn:terminateEventDefinition />' if a.get("terminate") else ""
        return f'<bpmn:endEvent id="{n.id}"{name}>{doc}{body}{ev}</bpmn:endEvent>'
    if n.kind == "msgthrow":
        return f'<bpmn:intermediateThrowEvent id="{n.id}"{name}>{doc}{body}<bpmn:messageEventDefinition messageRef="{p.message(a["message"])}" /></bpmn:intermediateThrowEvent>'
    if n.kind == "msgcatch":
        props = ext(f'<camunda:properties><camunda:property name="correlationKey" value={quoteattr(a["key"])} /></camunda:properties>') if a.get("key") else ""
        return f'<bpmn:intermediateCatchEvent id="{n.id}"{name}>{doc}{props}{body}<bpmn:messageEventDefinition messageRef="{p.message(a["message"])}" /></bpmn:intermediateCatchEvent>'
    if n.kind == "timercatch":
        return f'<bpmn:intermediateCatchEvent id="{n.id}"{name}>{doc}{body}{timer(a["timer"])}</bpmn:intermediateCatchEvent>'
    if n.kind in ("xgw", "pgw", "egw"):
        tag = {"xgw": "exclusiveGateway", "pgw": "parallelGateway", "egw": "eventBasedGateway"}[n.kind]
        default = next((f["id"] for f in p.flows if f["src"] == n.id and f["default"]), None)
        d = f' default="{default}"' if default else ""
        return f'<bpmn:{tag} id="{n.id}"{name}{d}>{doc}{body}</bpmn:{tag}>'
    if n.kind == "service":
        return (f'<bpmn:serviceTask id="{n.id}"{name} camunda:delegateExpression="${{{a["activity"]}}}"{async_attrs(a)}>'
                f'{doc}{ext(io(a.get("inputs"), a.get("outputs")))}{body}</bpmn:serviceTask>')
    if n.kind == "user":
        attrs = ""
        for key in ("assignee", "candidateUsers", "candidateGroups", "dueDate", "formKey", "priority"):
            if a.get(key):
                attrs += f" camunda:{key}={quoteattr(a[key])}"
        return f'<bpmn:userTask id="{n.id}"{name}{attrs}>{doc}{body}</bpmn:userTask>'
    if n.kind == "call":
        mappings = '<camunda:in variables="all" />' + "".join(f'<camunda:out source="{v}" target="{v}" />' for v in a.get("out", []))
        return f'<bpmn:callActivity id="{n.id}"{name} calledElement="{a["called"]}">{doc}{ext(mappings)}{body}</bpmn:callActivity>'
    raise ValueError(n.kind)


def async_attrs(a):
    return ' camunda:asyncBefore="true"' if a.get("asyncBefore") else ""


def timer(t):
    kind, value = t
    return f"<bpmn:timerEventDefinition><bpmn:{kind}>{escape(value)}</bpmn:{kind}></bpmn:timerEventDefinition>"


def boundary_xml(p, b):
    name = f" name={quoteattr(b.name)}" if b.name else ""
    cancel = "" if b.interrupting else ' cancelActivity="false"'
    if b.kind == "timer":
        ev = timer(b.value)
    elif b.kind == "error":
        ev = f'<bpmn:errorEventDefinition errorRef="err_{b.value.replace("-", "_")}" />'
    else:
        raise ValueError(b.kind)
    return f'<bpmn:boundaryEvent id="{b.id}"{name} attachedToRef="{b.host.id}"{cancel}>{flows_of(p, b.id)}{ev}</bpmn:boundaryEvent>'


def flow_xml(f):
    name = f" name={quoteattr(f['name'])}" if f["name"] else ""
    cond = f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(f["cond"])}</bpmn:conditionExpression>' if f["cond"] else ""
    return f'<bpmn:sequenceFlow id="{f["id"]}"{name} sourceRef="{f["src"]}" targetRef="{f["dst"]}">{cond}</bpmn:sequenceFlow>'


def waypoints(p, f):
    s, t = p.nodes[f["src"]], p.nodes[f["dst"]]
    if isinstance(s, Boundary):
        sx, sy = s.cx, s.y + s.h
        if f.get("via") is not None:
            vy = Y0 + f["via"] * ROW_H
            return [(sx, sy), (sx, vy), (t.cx, vy), (t.cx, t.y + t.h if t.cy < vy else t.y)]
        if t.cy > sy:
            return [(sx, sy), (sx, t.cy), (t.x, t.cy)] if t.x > sx else [(sx, sy), (sx, t.y)] if abs(t.cx - sx) < 5 else [(sx, sy), (sx, t.cy), (t.x + t.w, t.cy)]
        return [(sx, sy), (sx, sy + 30), (t.cx, sy + 30), (t.cx, t.y + t.h)]
    if f.get("via") is not None:
        vy = Y0 + f["via"] * ROW_H
        start = (s.cx, s.y + s.h) if vy > s.cy else (s.cx, s.y)
        end = (t.cx, t.y + t.h) if vy > t.cy else (t.cx, t.y)
        return [start, (s.cx, vy), (t.cx, vy), end]
    if t.col > s.col and t.row == s.row:
        return [(s.x + s.w, s.cy), (t.x, t.cy)]
    if t.col > s.col:
        # leave downwards/upwards from the source, enter from the left
        return [(s.cx, s.y + s.h if t.row > s.row else s.y), (s.cx, t.cy), (t.x, t.cy)]
    if t.col == s.col:
        return [(s.cx, s.y + s.h), (t.cx, t.y)] if t.row > s.row else [(s.cx, s.y), (t.cx, t.y + t.h)]
    # a back-flow: round below the source row
    vy = s.y + s.h + 30 if t.row <= s.row else t.y - 30
    return [(s.cx, s.y + s.h), (s.cx, vy), (t.cx, vy), (t.cx, t.y + t.h if t.row <= s.row else t.y)]


def render(p, errors=()):
    elements = []
    for n in p.nodes.values():
        if isinstance(n, Node):
            elements.append(node_xml(p, n))
    for n in p.nodes.values():
        if isinstance(n, Boundary):
            elements.append(boundary_xml(p, n))
    elements += [flow_xml(f) for f in p.flows]
    shapes = []
    for n in p.nodes.values():
        marker = ' isMarkerVisible="true"' if isinstance(n, Node) and n.kind == "xgw" else ""
        shapes.append(f'<bpmndi:BPMNShape id="{n.id}_di" bpmnElement="{n.id}"{marker}><dc:Bounds x="{n.x}" y="{n.y}" width="{n.w}" height="{n.h}" />'
                      + (f'<bpmndi:BPMNLabel><dc:Bounds x="{n.x - 30}" y="{n.y + n.h + 4}" width="{n.w + 60}" height="14" /></bpmndi:BPMNLabel>' if (isinstance(n, Boundary) or n.kind in EVENTS or n.kind.endswith("gw")) and n.name else "")
                      + "</bpmndi:BPMNShape>")
    for f in p.flows:
        pts = "".join(f'<di:waypoint x="{x}" y="{y}" />' for x, y in waypoints(p, f))
        shapes.append(f'<bpmndi:BPMNEdge id="{f["id"]}_di" bpmnElement="{f["id"]}">{pts}</bpmndi:BPMNEdge>')
    messages = "".join(f'\n  <bpmn:message id="{mid}" name="{name}" />' for name, mid in p.messages.items())
    errs = "".join(f'\n  <bpmn:error id="err_{code.replace("-", "_")}" name="{code}" errorCode="{code}" />' for code in errors)
    doc = f"<bpmn:documentation>{escape(p.doc)}</bpmn:documentation>" if p.doc else ""
    nl = "\n    "
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_{p.id}" targetNamespace="https://complaintworkflows.example/processes" exporter="ComplaintWorkflows bpmngen" exporterVersion="1">
  <bpmn:process id="{p.id}" name={quoteattr(p.name)} isExecutable="true" camunda:historyTimeToLive="P3650D">
    {doc}{nl}{nl.join(elements)}
  </bpmn:process>{messages}{errs}
  <bpmndi:BPMNDiagram id="diagram_{p.id}">
    <bpmndi:BPMNPlane id="plane_{p.id}" bpmnElement="{p.id}">
      {"".join(chr(10) + "      " + s for s in shapes)}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
'''
