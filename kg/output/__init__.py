"""Output: the RDF writers (one registry of formats), JSON-LD, the build report, atomic files."""
