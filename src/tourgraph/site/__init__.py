"""Web publishing: the bilingual HTML site, schema.org JSON-LD markup and per-entity RDF descriptions."""
