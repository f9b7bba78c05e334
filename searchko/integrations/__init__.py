"""Adapters to other libraries, each behind its own extra:
``searchko.integrations.langchain`` (``searchko[langchain]``)."""
