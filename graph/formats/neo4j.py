"""Neo4j: CSV files with typed headers for `neo4j-admin database import full`."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from learngraph.crawler.files import atomic_write

from .printable import printable_data
from .scalars import scalars, unscalars

NEO4J_LABELS = {
    "topic": "Topic",
    "resource": "Resource",
    "item": "Item",
    "person": "Person",
    "suggestion": "Suggestion",
}
NEO4J_NODE_FILES = {
    "topic": "topics.csv",
    "resource": "resources.csv",
    "item": "items.csv",
    "person": "people.csv",
    "suggestion": "suggestions.csv",
}
NEO4J_RELATIONSHIPS = "relationships.csv"
NEO4J_TYPES = {bool: "boolean", int: "long", float: "double"}
NEO4J_PARSERS = {"boolean": lambda s: s == "true", "long": int, "double": float, "string": str}


def _neo4j_columns(rows: list[dict]) -> dict[str, str]:
    """Property name -> Neo4j type; int mixed with float is double, anything else mixed a string."""
    columns: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, set()).add(NEO4J_TYPES.get(type(value), "string"))
    return {
        k: types.pop() if len(types) == 1 else "double" if types == {"long", "double"} else "string"
        for k, types in columns.items()
    }


def _neo4j_cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path, fixed: dict[str, str], rows: list[tuple[list, dict]]) -> None:
    """Rows of fixed leading cells (headers ``fixed``) and properties, with typed headers."""
    rows = [(printable_data(lead), scalars(props)) for lead, props in rows]
    columns = _neo4j_columns([props for _, props in rows])
    names = sorted(columns)
    with atomic_write(path) as file:
        writer = csv.writer(file)
        writer.writerow([*fixed, *(f"{n}:{columns[n]}" for n in names)])
        for lead, props in rows:
            writer.writerow([*lead, *("" if props.get(n) is None else _neo4j_cell(props[n]) for n in names)])


def write_neo4j(G: nx.MultiDiGraph, directory) -> None:
    """Node files per type and one relationship file, for
    ``neo4j-admin database import full --nodes=topics.csv ... --relationships=relationships.csv``."""
    directory = Path(directory)
    for node_type, filename in NEO4J_NODE_FILES.items():
        rows = [
            ([n, NEO4J_LABELS[node_type]], {k: v for k, v in d.items() if k != "type"})
            for n, d in G.nodes(data=True)
            if d["type"] == node_type
        ]
        _write_csv(directory / filename, ["id:ID", ":LABEL"], rows)
    rows = [
        ([u, v, k.upper()], {a: b for a, b in d.items() if a != "type"})
        for u, v, k, d in G.edges(keys=True, data=True)
    ]
    _write_csv(directory / NEO4J_RELATIONSHIPS, [":START_ID", ":END_ID", ":TYPE"], rows)


def _read_csv(path) -> list[tuple[list[str], dict]]:
    """(the cells of untyped and ID columns, the properties) per row."""
    with open(path, encoding="utf-8", newline="") as file:
        header, *lines = list(csv.reader(file))
    columns = [column.partition(":")[::2] for column in header]
    fixed = [i for i, (name, kind) in enumerate(columns) if not name or kind == "ID"]
    typed = [(i, name, kind) for i, (name, kind) in enumerate(columns) if name and kind != "ID"]
    return [
        (
            [line[i] for i in fixed],
            unscalars({name: NEO4J_PARSERS[kind](line[i]) for i, name, kind in typed if line[i] != ""}),
        )
        for line in lines
    ]


def read_neo4j(directory) -> nx.MultiDiGraph:
    directory = Path(directory)
    G = nx.MultiDiGraph()
    for node_type, filename in NEO4J_NODE_FILES.items():
        for (node, _), props in _read_csv(directory / filename):
            G.add_node(node, type=node_type, **props)
    for (u, v, relation), props in _read_csv(directory / NEO4J_RELATIONSHIPS):
        G.add_edge(u, v, relation.lower(), type=relation.lower(), **props)
    return G
