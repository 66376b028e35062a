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

__all__ = ["Encoded", "decode", "encode", "literal_value", "to_python", "to_rdflib"]

#: An RDF term as plain data, for crossing between processes: ``("i", iri)``,
#: ``("l", text, datatype, language)`` or ``("b", id)``; None for an unbound value.
Encoded = tuple[str, ...] | tuple[str, str, str | None, str | None] | None


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


def encode(term: Node | None) -> Encoded:
    """An rdflib term as plain tuples, which pickle fast; :func:`decode` reverses it.

    >>> encode(Literal("3", datatype=XSD.integer)), encode(URIRef("http://x/a")), encode(None)
    (('l', '3', 'http://www.w3.org/2001/XMLSchema#integer', None), ('i', 'http://x/a'), None)
    >>> all(decode(encode(t)) == t for t in (Literal("é", lang="es"), BNode("b1"), Literal("x")))
    True
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ("i", str(term))
    if isinstance(term, Literal):
        return ("l", str(term), None if term.datatype is None else str(term.datatype), term.language)
    if isinstance(term, BNode):
        return ("b", str(term))
    raise TypeError(f"unexpected RDF term {term!r}")


def decode(data: Encoded) -> Node | None:
    """The rdflib term that :func:`encode` gave ``data`` for."""
    if data is None:
        return None
    if data[0] == "i":
        return URIRef(data[1])
    if data[0] == "l":
        datatype, language = data[2], data[3]
        return Literal(data[1], lang=language, datatype=None if datatype is None else URIRef(datatype))
    return BNode(data[1])


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
