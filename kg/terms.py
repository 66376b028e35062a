"""Moving RDF terms between Oxigraph and rdflib, and to and from plain Python values.

Examples
--------
>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("810", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
rdflib.term.Literal('810', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
>>> to_python(Literal("3", datatype=XSD.integer)), to_python(URIRef("https://w3id.org/newskg/id/x"))
(3, 'ent:x')

"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import curie

__all__ = ["to_python", "to_rdflib"]


def to_rdflib(term: Any) -> Node:
    """Convert an Oxigraph term to rdflib."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unexpected RDF term {term!r}")


def to_python(term: Node | None) -> Any:
    """A result term as a Python value: IRIs as prefixed names, typed literals converted.

    Integers become ``int``, decimals ``int`` when whole else ``float``, dates
    ``datetime.date``, booleans ``bool``; an ill-formed literal stays a string.
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        name = curie(term)
        return str(term) if name.startswith("<") else name
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        datatype = str(term.datatype or "").removeprefix(str(XSD))
        text = str(term)
        try:
            if datatype in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
                return int(text)
            if datatype == "decimal":
                value = Decimal(text)
                return int(value) if value == value.to_integral_value() else float(value)
            if datatype in ("double", "float"):
                return float(text)
            if datatype == "boolean":
                return text in ("true", "1")
            if datatype == "date":
                return datetime.date.fromisoformat(text)
        except ValueError:
            return text
        return text
    return str(term)
