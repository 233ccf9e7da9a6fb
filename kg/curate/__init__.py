"""Curation: from a new report to validated rows in minutes.

A consumer of the pipeline (like query and serve): nothing in load, check or build imports it.

- :func:`init_dataset` (``kg init``): a new, empty dataset that validates and builds.
- :func:`add_source` (``kg add-source``): register a text, with its outlet, date and SHA-256.
- :func:`draft_source` (``kg draft``): candidate rows for review, written into ``drafts/``,
  never into the tables: sentences, entity mentions, numbers with their bounds, dates and
  relative times, who speaks and how surely, each row with its quote checked against the text.
- :mod:`kg.curate.review` (``kg curate``): the review page beside the text.
"""

from kg.curate.add_source import AddedSource, add_source
from kg.curate.draft import Draft, DraftRow, draft_source, draft_text, write_draft
from kg.curate.init import init_dataset

__all__ = ["AddedSource", "Draft", "DraftRow", "add_source", "draft_source", "draft_text", "init_dataset",
           "write_draft"]
