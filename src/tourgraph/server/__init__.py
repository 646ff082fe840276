"""The parts of ``tourgraph serve``, one job each: content negotiation, the SPARQL protocol, the
answers' cache, the service description, the query page, the stored-query API and the site's files.
``tourgraph.serve`` puts them together into the ASGI app."""
