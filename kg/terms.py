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

__all__ = ["literal_value", "to_python", "to_rdflib"]


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
        return literal_value(str(term), str(term.datatype or ""))
    return str(term)


def literal_value(text: str, datatype: str) -> Any:
    """The Python value of a literal's ``text`` with the ``datatype`` IRI (see :func:`to_python`).

    >>> literal_value("2.50", str(XSD.decimal)), literal_value("2026-02-31", str(XSD.date))
    (2.5, '2026-02-31')
    """
    kind = datatype.removeprefix(str(XSD))
    try:
        if kind in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return int(text)
        if kind == "decimal":
            value = Decimal(text)
            return int(value) if value == value.to_integral_value() else float(value)
        if kind in ("double", "float"):
            return float(text)
        if kind == "boolean":
            return text in ("true", "1")
        if kind == "date":
            return datetime.date.fromisoformat(text)
    except (ValueError, ArithmeticError):
        return text
    return text
