"""Stage 5: facts from normalised text, one module per family of patterns.

Every extractor is a function `(doc: DocText) -> Found`; `ingest.extract.run` calls them all.
"""
