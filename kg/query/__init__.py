"""SPARQL over a built dataset: run queries and saved questions, write their results.

::

    import kg.query
    engine = kg.query.open_engine()                      # the bundled dataset, indexed once
    result = engine.query("SELECT ?a WHERE { ?a a kg:Cartel }")
    result = kg.query.run(engine, "who-attributed-what")  # a saved question, by name
    result.rows, result.to_dataframe()
    kg.query.dump_result(result, "csv")                  # table, json, xml, csv, tsv; ttl, nt, jsonld, rdf
"""

from kg.query.engine import Engine
from kg.query.errors import (
    NotRepresentable,
    QueryError,
    QueryMemory,
    QueryTimeout,
    ResultTooLarge,
    ServiceRefused,
    TooDeep,
    UpdateRefused,
)
from kg.query.formats import RESULT_FORMATS, ResultFormat, dump_result, negotiate, text_table
from kg.query.named import NamedQuery, Param, find_named, named_queries, parse_value, queries_dir
from kg.query.result import QueryResult
from kg.query.runner import PreparedQuery, open_engine, prepare, run

__all__ = [
    "RESULT_FORMATS",
    "Engine",
    "NamedQuery",
    "NotRepresentable",
    "Param",
    "PreparedQuery",
    "QueryError",
    "QueryMemory",
    "QueryResult",
    "QueryTimeout",
    "ResultFormat",
    "ResultTooLarge",
    "ServiceRefused",
    "TooDeep",
    "UpdateRefused",
    "dump_result",
    "find_named",
    "named_queries",
    "negotiate",
    "open_engine",
    "parse_value",
    "prepare",
    "queries_dir",
    "run",
    "text_table",
]
