"""Link exports: i2-style CSV (one row per link, both ends' entity columns then the link's) and GraphML.

Files are written beside their destination and renamed into place, so a failed export leaves no
half-written file.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from triage_app.errors import BadInput
from triage_app.fileio import safe_cell

ENTITY_FIELDS = ("Ref", "Offence Code", "NFA Date", "Priority", "Status")
LINK_FIELDS = ("Link Type", "Link Strength", "Link Judgement", "Link Basis")


def case_info(conn) -> dict[str, dict]:
    return {ref: {"Ref": ref, "Offence Code": code, "NFA Date": nfa, "Priority": pr, "Status": st}
            for ref, code, nfa, pr, st in conn.execute(
                "SELECT ref, offence_code, nfa_date, priority, status FROM cases")}


def csv_text(pairs: list[dict], cases: dict[str, dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    header = ["Entity A Type"] + [f"Entity A {f}" for f in ENTITY_FIELDS]
    header += ["Entity B Type"] + [f"Entity B {f}" for f in ENTITY_FIELDS]
    w.writerow(header + list(LINK_FIELDS))
    for p in pairs:
        row = []
        for end in (p["a"], p["b"]):
            info = cases.get(end, {"Ref": end})
            row += ["Case"] + [info.get(f) for f in ENTITY_FIELDS]
        row += ["Linked case", p["strength"], p["judgement"] or "not judged", "; ".join(p["basis"])]
        w.writerow([safe_cell(c) for c in row])
    return buf.getvalue()


def graphml_bytes(pairs: list[dict], cases: dict[str, dict]) -> bytes:
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [("ref", "node", "string"), ("offence_code", "node", "string"), ("nfa_date", "node", "string"),
            ("priority", "node", "int"), ("status", "node", "string"),
            ("strength", "edge", "string"), ("judgement", "edge", "string"), ("basis", "edge", "string")]
    for name, where, typ in keys:
        ET.SubElement(root, f"{{{ns}}}key", id=name, attrib={"for": where, "attr.name": name, "attr.type": typ})
    graph = ET.SubElement(root, f"{{{ns}}}graph", id="links", edgedefault="undirected")
    ends = sorted({r for p in pairs for r in (p["a"], p["b"])})
    for ref in ends:
        info = cases.get(ref, {})
        node = ET.SubElement(graph, f"{{{ns}}}node", id=ref)
        for key, field in (("ref", "Ref"), ("offence_code", "Offence Code"), ("nfa_date", "NFA Date"),
                           ("priority", "Priority"), ("status", "Status")):
            value = ref if key == "ref" else info.get(field)
            if value is not None:
                ET.SubElement(node, f"{{{ns}}}data", key=key).text = str(value)
    for i, p in enumerate(pairs):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", id=f"e{i}", source=p["a"], target=p["b"])
        ET.SubElement(edge, f"{{{ns}}}data", key="strength").text = p["strength"]
        ET.SubElement(edge, f"{{{ns}}}data", key="judgement").text = p["judgement"] or "not judged"
        ET.SubElement(edge, f"{{{ns}}}data", key="basis").text = "; ".join(p["basis"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render(fmt: str, pairs: list[dict], cases: dict[str, dict]) -> bytes:
    if fmt == "csv":
        return csv_text(pairs, cases).encode("utf-8-sig")
    if fmt == "graphml":
        return graphml_bytes(pairs, cases)
    raise BadInput(f"Export format {fmt!r} is not csv or graphml.")
