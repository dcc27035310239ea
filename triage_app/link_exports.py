"""Links leaving the vault, at the pack's identity levels (`pack.identity`): the link chart of one
case's cluster as GraphML (for i2 or Gephi) or as the PNG the desktop draws, and every link as CSV
or GraphML (`links --format`).

At "initials" (the default) a victim's person node is labelled by her initials, an identifier
node (phone, vehicle, address) holding a victim's value — or a value equal to one — is labelled
"withheld" with an id that carries no value, links between cases carry the structured basis
(`pack.links_section`) and a person-to-person edge carries no date of birth of a victim. "full" is
an explicit choice: it needs a justification, kept in the export's audit entry with the level.

`export_graphml`, `export_png` and `export_links` write the file and its disclosure entry
together (`disclosure.write_disclosure`); the PNG's bytes come from the desktop, which draws
`chart_for_export` for it, never the chart on screen.
"""
from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from triage_app.disclosure import write_disclosure
from triage_app.errors import BadInput, NotFound
from triage_app.linking import cluster_for_case, export, graph
from triage_app.linking.people import merge_chart, people
from triage_app.pack.identity import VictimIdentity, check_level, shown_as
from triage_app.pack.links_section import basis_lines, evidence_for, minimised_pairs

MAX_JUSTIFICATION = 500


def check_choice(identity: str, justification: str | None) -> str | None:
    """The identity level and its justification: full identity only with a reason for it."""
    check_level(identity)
    justification = (justification or "").strip() or None
    if justification and len(justification) > MAX_JUSTIFICATION:
        raise BadInput(f"The justification is longer than {MAX_JUSTIFICATION} characters; shorten it.")
    if identity == "full" and not justification:
        raise BadInput("An export with victims' full identity needs a justification (it is kept in the audit log); "
                       "give one with --justification TEXT, or export with initials.")
    return justification


def _case_id(conn, ref: str) -> int:
    row = conn.execute("SELECT id FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise NotFound(f"There is no case {ref} in this vault.")
    return row[0]


def minimised_chart(conn, chart: dict, identity: str = "initials") -> dict:
    """A copy of a `linking.cluster_for_case` chart fit to leave the vault at `identity`."""
    check_level(identity)
    out = copy.deepcopy(chart)
    if identity == "full":
        return out
    case_ids = [int(n["id"].split(":", 1)[1]) for n in out["nodes"] if n["type"] == "case"]
    victims = VictimIdentity.from_vault(conn, case_ids)
    people = _people(conn, [int(n["id"].split(":", 1)[1]) for n in out["nodes"] if n["type"] == "person"])
    renamed: dict[str, str] = {}
    for n in out["nodes"]:
        if n["type"] == "person":
            role, fore, sur, age = people.get(n["id"], (n.get("role") or "unknown", None, None, None))
            n["label"] = shown_as(role, fore, sur, age, victims, identity) if (fore or sur) else (
                "Unnamed" if role != "victim" else "Victim")
        elif n["type"] in ("phone", "vehicle", "address"):
            value = n["id"].split(":", 1)[1]
            if victims.withholds(n["type"], value):
                renamed[n["id"]] = f"{n['type']}:withheld-{len(renamed) + 1}"
                n["id"], n["label"] = renamed[n["id"]], "withheld"
    victim_nodes = {n["id"] for n in out["nodes"] if n["type"] == "person" and people.get(n["id"], ("victim",))[0] == "victim"}
    pairs = [(int(e["source"].split(":")[1]), int(e["target"].split(":")[1])) for e in out["edges"] if e["type"] == "link"]
    evidence = evidence_for(conn, pairs)
    for e in out["edges"]:
        e["source"], e["target"] = renamed.get(e["source"], e["source"]), renamed.get(e["target"], e["target"])
        if e["type"] == "link":
            a, b = int(e["source"].split(":")[1]), int(e["target"].split(":")[1])
            e["basis"] = basis_lines(evidence.get((min(a, b), max(a, b)), []), victims, identity)
        elif e["type"] == "same_person":
            dates = [d.strip() for d in str(e.get("basis") or "").split("/")]
            if {e["source"], e["target"]} & victim_nodes or any(victims.withholds("dob", d) for d in dates):
                e["basis"] = "date of birth withheld"
    return out


def _people(conn, ids: list[int]) -> dict[str, tuple]:
    out = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for nid, role, fore, sur, age in conn.execute(
                "SELECT id, role, forenames, surname, age_at_offence FROM nominals "
                f"WHERE id IN ({','.join('?' * len(part))})", part):
            out[f"person:{nid}"] = (role, fore, sur, age)
    return out


def chart_for_export(conn, ref: str, identity: str = "initials") -> dict:
    """The cluster around case `ref` as it may leave the vault, one node per person as the linker
    resolves them (`linking.people`, as the desktop's chart): what GraphML holds and what the
    desktop draws for a PNG."""
    chart = minimised_chart(conn, cluster_for_case(conn, _case_id(conn, ref)), identity)
    case_ids = [int(n["id"].split(":", 1)[1]) for n in chart["nodes"] if n["type"] == "case"]
    return merge_chart(chart, people(conn, case_ids))


def graphml_bytes(chart: dict) -> bytes:
    """The chart's nodes and edges (all kinds) as GraphML, for i2 or Gephi."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    for key, target in (("type", "node"), ("label", "node"), ("role", "node"), ("type", "edge"),
                        ("strength", "edge"), ("basis", "edge"), ("judgement", "edge")):
        ET.SubElement(root, f"{{{ns}}}key", id=f"{target}_{key}", attrib={"for": target, "attr.name": key,
                                                                          "attr.type": "string"})
    graph = ET.SubElement(root, f"{{{ns}}}graph", id="chart", edgedefault="undirected")
    for n in chart["nodes"]:
        node = ET.SubElement(graph, f"{{{ns}}}node", id=n["id"])
        for key in ("type", "label", "role"):
            if n.get(key) is not None:
                ET.SubElement(node, f"{{{ns}}}data", key=f"node_{key}").text = str(n[key])
    for i, e in enumerate(chart["edges"]):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", id=f"e{i}", source=e["source"], target=e["target"])
        for key in ("type", "strength", "basis", "judgement"):
            value = e.get(key)
            if value is not None:
                value = "; ".join(value) if isinstance(value, list) else str(value)
                ET.SubElement(edge, f"{{{ns}}}data", key=f"edge_{key}").text = value
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _detail(fmt: str, identity: str, justification: str | None) -> dict:
    detail = {"format": fmt, "identity": identity}
    if justification:
        detail["justification"] = justification
    return detail


def export_graphml(session, ref: str, out, identity: str = "initials", justification: str | None = None) -> dict:
    """Write the cluster chart of case `ref` as GraphML with its disclosure entry."""
    justification = check_choice(identity, justification)

    def make(conn, entry):
        chart = chart_for_export(conn, ref, identity)
        entry.update(nodes=len(chart["nodes"]), edges=len(chart["edges"]))
        return graphml_bytes(chart)

    return write_disclosure(session, out, make, permission="read", action="links.chart_export", case=ref,
                            detail=_detail("graphml", identity, justification))


def export_png(session, ref: str, out, png: bytes, identity: str = "initials", justification: str | None = None,
               nodes: int | None = None) -> dict:
    """Write a PNG the desktop drew of `chart_for_export(conn, ref, identity)` with its disclosure entry."""
    justification = check_choice(identity, justification)
    if not isinstance(png, (bytes, bytearray)) or not bytes(png).startswith(b"\x89PNG\r\n\x1a\n"):
        raise BadInput("The chart could not be drawn as a PNG image; nothing was written.")

    def make(conn, entry):
        _case_id(conn, ref)
        if nodes is not None:
            entry["nodes"] = nodes
        return bytes(png)

    return write_disclosure(session, out, make, permission="read", action="links.chart_export", case=ref,
                            detail=_detail("png", identity, justification))


def export_links(session, fmt: str, out, identity: str = "initials", justification: str | None = None) -> dict:
    """Every link (rejected ones left out) as i2-style CSV or GraphML, its basis at `identity`."""
    justification = check_choice(identity, justification)
    if fmt not in ("csv", "graphml"):
        raise BadInput(f"Export format {str(fmt)[:20]!r} is not csv or graphml.")

    def make(conn, entry):
        pairs = graph.all_pairs(conn)
        victims = VictimIdentity.from_vault(conn, {i for p in pairs for i in p["_ids"]})
        pairs = minimised_pairs(conn, pairs, identity, victims)
        entry["pairs"] = len(pairs)
        return export.render(fmt, pairs, export.case_info(conn))

    done = write_disclosure(session, out, make, permission="read", action="links.export",
                            detail=_detail(fmt, identity, justification))
    return done
